package io.rustless.conformance;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.FailurePolicy;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.api.ProxyWasm;
import io.rustless.sdk.api.RootContext;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.api.TrailerAction;
import io.rustless.sdk.higress.Log;
import io.rustless.sdk.higress.Loggable;
import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.CasMismatchException;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.MetricType;
import io.rustless.sdk.host.ProxyWasmException;
import io.rustless.sdk.lang.Utf8;
import java.util.Optional;

/**
 * Drives the SDK's host calls from the request: header {@code x-op} picks the operation, other
 * {@code x-…} headers carry its arguments, and the result comes back as a local reply or as a
 * change the test can inspect. The configuration may set {@code failure_policy} ({@code open} or
 * {@code closed}).
 */
public final class ConformancePlugin {
  static final Log LOG = Log.of("conformance");

  private ConformancePlugin() {}

  public static void main(String[] args) {
    ProxyWasm.setRootContext(id -> new Root());
  }

  static final class Root implements RootContext {
    private int tickMetric;

    @Override
    public StartStatus onVmStart(int vmConfigurationSize) {
      byte[] vm = getVmConfiguration().orElse(new byte[0]);
      if (vm.length > 0) {
        setSharedData("vm-config", vm, 0);
      }
      return StartStatus.OK;
    }

    @Override
    public void onTick() {
      if (tickMetric == 0) {
        tickMetric = host().defineMetric(MetricType.COUNTER, "conformance_ticks");
      }
      host().incrementMetric(tickMetric, 1);
    }

    @Override
    public void onQueueReady(int queueId) {
      StringBuilder seen = new StringBuilder();
      for (Optional<byte[]> item = dequeueSharedQueue(queueId);
          item.isPresent();
          item = dequeueSharedQueue(queueId)) {
        seen.append(Utf8.decode(item.get())).append(';');
      }
      setSharedData("queue-seen", Utf8.encode(seen.toString()), 0);
    }

    @Override
    public void onForeignFunction(int functionId, int dataSize) {
      byte[] data = host().getBufferBytes(BufferType.CALL_DATA, 0, dataSize).orElse(new byte[0]);
      setSharedData("foreign-" + functionId, data, 0);
    }

    @Override
    public StartStatus onConfigure(int size) {
      byte[] raw = getPluginConfiguration().orElse(new byte[0]);
      if (raw.length == 0) {
        return StartStatus.OK;
      }
      ConfigReader config = ConfigReader.of(Json.parse(raw).asObject());
      String policy = config.getString("failure_policy", "open");
      int tick = config.getInt("tick_ms", 0);
      if (tick > 0) {
        setTickPeriod(tick);
      }
      if (config.has("queue")) {
        registerSharedQueue(config.requireString("queue"));
      }
      ProxyWasm.setFailurePolicy(
          policy.equals("closed") ? FailurePolicy.FAIL_CLOSED : FailurePolicy.FAIL_OPEN);
      return StartStatus.OK;
    }

    @Override
    public HttpContext createHttpContext(int contextId) {
      return new Stream(contextId);
    }
  }

  static final class Stream implements HttpContext {
    private final int id;
    private String bodyOp = "";
    private String responseOp = "";

    Stream(int id) {
      this.id = id;
    }

    private String arg(String name) {
      return getHttpRequestHeader(name).orElse("");
    }

    private void reply(String body) {
      sendHttpResponse(200, HeaderMap.of("x-context", Integer.toString(id)), body);
    }

    @Override
    public HeaderAction onRequestHeaders(int numHeaders, boolean endOfStream) {
      bodyOp = arg("x-body-op");
      responseOp = arg("x-response-op");
      String op = arg("x-op");
      switch (op) {
        case "":
          return bodyOp.equals("pause-headers")
              ? HeaderAction.STOP_ALL_ITERATION_AND_BUFFER
              : HeaderAction.CONTINUE;
        case "count":
          reply(numHeaders + " " + getHttpRequestHeaders().size() + " " + endOfStream);
          return HeaderAction.STOP_ITERATION;
        case "echo-headers":
          {
            StringBuilder sb = new StringBuilder();
            HeaderMap all = getHttpRequestHeaders();
            for (int i = 0; i < all.size(); i++) {
              sb.append(all.name(i)).append('=').append(all.value(i)).append('\n');
            }
            reply(sb.toString());
            return HeaderAction.STOP_ITERATION;
          }
        case "get-header":
          reply(getHttpRequestHeader(arg("x-name")).orElse("<missing>"));
          return HeaderAction.STOP_ITERATION;
        case "get-header-bytes":
          reply(hex(getHttpRequestHeaderBytes(arg("x-name")).orElse(new byte[0])));
          return HeaderAction.STOP_ITERATION;
        case "add-header":
          addHttpRequestHeader(arg("x-name"), arg("x-value"));
          return HeaderAction.CONTINUE;
        case "set-header":
          setHttpRequestHeader(arg("x-name"), arg("x-value"));
          return HeaderAction.CONTINUE;
        case "remove-header":
          removeHttpRequestHeader(arg("x-name"));
          return HeaderAction.CONTINUE;
        case "set-headers":
          setHttpRequestHeaders(
              HeaderMap.of(":path", "/replaced", ":authority", "new.example", "x-only", "me"));
          return HeaderAction.CONTINUE;
        case "property":
          reply(getPropertyString(path(arg("x-path"))).orElse("<missing>"));
          return HeaderAction.STOP_ITERATION;
        case "set-property":
          host()
              .setProperty(
                  java.util.Arrays.asList(path(arg("x-path"))), Utf8.encode(arg("x-value")));
          return HeaderAction.CONTINUE;
        case "log":
          LOG.trace("trace line");
          LOG.debug("debug line");
          LOG.info("info line");
          LOG.warn("warn line");
          LOG.error("error line");
          LOG.critical("critical line");
          LOG.debugf("lazy {} {}", new Counted(), "debug");
          LOG.infof("lazy {} {}", new Counted(), "info");
          reply("formatted " + Counted.formatted);
          return HeaderAction.STOP_ITERATION;
        case "time":
          reply(Long.toString(getCurrentTimeNanos()));
          return HeaderAction.STOP_ITERATION;
        case "throw":
          throw new IllegalStateException("boom in request headers");
        case "null":
          // a null the compiler cannot see coming: the runtime's own null check must throw
          String none = arg("x-value").isEmpty() ? null : arg("x-value");
          reply("length " + none.length());
          return HeaderAction.STOP_ITERATION;
        case "index":
          int[] two = new int[2];
          reply("item " + two[arg("x-value").length()]);
          return HeaderAction.STOP_ITERATION;
        case "caught":
          String missing = arg("x-value").isEmpty() ? null : arg("x-value");
          int[] one = new int[1];
          StringBuilder caught = new StringBuilder("caught");
          try {
            caught.append(missing.length());
          } catch (NullPointerException e) {
            caught.append(" null");
          }
          try {
            caught.append(one[arg("x-op").length()]);
          } catch (ArrayIndexOutOfBoundsException e) {
            caught.append(" index");
          }
          reply(caught.toString());
          return HeaderAction.STOP_ITERATION;
        case "reply-utf8":
          sendHttpResponse(
              418,
              HeaderMap.builder().add("x-bytes", new byte[] {(byte) 0xC3, (byte) 0xA9}).build(),
              "héllo wörld 😀");
          return HeaderAction.STOP_ITERATION;
        case "reply-twice":
          reply("first");
          try {
            reply("second");
          } catch (RuntimeException e) {
            LOG.warn("second reply refused: " + e.getMessage());
          }
          return HeaderAction.STOP_ITERATION;
        case "header-count":
          reply(Integer.toString(getHttpRequestHeaderCount()));
          return HeaderAction.STOP_ITERATION;
        case "shared-set":
          try {
            setSharedData(arg("x-key"), Utf8.encode(arg("x-value")), parseInt(arg("x-cas")));
            reply("ok");
          } catch (CasMismatchException e) {
            reply("cas-mismatch");
          }
          return HeaderAction.STOP_ITERATION;
        case "shared-get":
          reply(
              getSharedData(arg("x-key"))
                  .map(d -> Utf8.decode(d.value()) + "@" + d.cas())
                  .orElse("<missing>"));
          return HeaderAction.STOP_ITERATION;
        case "queue":
          {
            int id = registerSharedQueue(arg("x-name"));
            int resolved = resolveSharedQueue("", arg("x-name")).orElse(-1);
            enqueueSharedQueue(id, Utf8.encode("one"));
            enqueueSharedQueue(id, Utf8.encode("two"));
            String first = dequeueSharedQueue(id).map(Utf8::decode).orElse("?");
            String second = dequeueSharedQueue(id).map(Utf8::decode).orElse("?");
            boolean empty = dequeueSharedQueue(id).isEmpty();
            boolean unknown = resolveSharedQueue("", "no-such-queue").isEmpty();
            reply((id == resolved) + " " + first + " " + second + " " + empty + " " + unknown);
            return HeaderAction.STOP_ITERATION;
          }
        case "enqueue":
          enqueueSharedQueue(
              resolveSharedQueue("", arg("x-name")).orElse(0), Utf8.encode(arg("x-value")));
          return HeaderAction.CONTINUE;
        case "metrics":
          {
            int counter = host().defineMetric(MetricType.COUNTER, "conformance_requests");
            int gauge = host().defineMetric(MetricType.GAUGE, "conformance_inflight");
            int histogram = host().defineMetric(MetricType.HISTOGRAM, "conformance_latency");
            host().incrementMetric(counter, 1);
            host().incrementMetric(gauge, 5);
            host().incrementMetric(gauge, -2);
            host().recordMetric(histogram, 42);
            reply(
                host().getMetric(counter)
                    + " "
                    + host().getMetric(gauge)
                    + " "
                    + (counter == host().defineMetric(MetricType.COUNTER, "conformance_requests")));
            return HeaderAction.STOP_ITERATION;
          }
        case "foreign":
          reply(Utf8.decode(callForeignFunction(arg("x-name"), Utf8.encode(arg("x-value")))));
          return HeaderAction.STOP_ITERATION;
        case "effective-context":
          setEffectiveContext(id);
          done();
          reply("ok " + id);
          return HeaderAction.STOP_ITERATION;
        case "http-call":
          dispatchHttpCall(
              arg("x-upstream"),
              HeaderMap.of(
                  ":method", "POST", ":path", arg("x-path"), ":authority", "callee.example"),
              Utf8.encode("ping"),
              HeaderMap.of("x-trailer", "t"),
              5000,
              r -> {
                setHttpRequestHeader("x-call-status", Integer.toString(r.statusCode()));
                setHttpRequestHeader("x-call-body", r.bodyString());
                setHttpRequestHeader("x-call-header", r.headers().get("x-answer").orElse("<none>"));
                resumeHttpRequest();
              });
          return HeaderAction.STOP_ALL_ITERATION_AND_BUFFER;
        case "http-call-raw":
          dispatchHttpCall(
              arg("x-upstream"),
              HeaderMap.of(":method", "GET", ":path", "/raw", ":authority", "callee.example"),
              new byte[0],
              HeaderMap.empty(),
              1000);
          return HeaderAction.STOP_ALL_ITERATION_AND_BUFFER;
        case "http-call-throws":
          dispatchHttpCall(
              arg("x-upstream"),
              HeaderMap.of(":method", "GET", ":path", "/", ":authority", "callee.example"),
              new byte[0],
              HeaderMap.empty(),
              1000,
              r -> {
                throw new IllegalStateException("boom in http call callback");
              });
          return HeaderAction.STOP_ALL_ITERATION_AND_BUFFER;
        case "grpc-call":
          dispatchGrpcCall(
              arg("x-upstream"),
              "echo.Echo",
              "Say",
              HeaderMap.of("x-md", "1"),
              Utf8.encode("hi"),
              1000);
          return HeaderAction.STOP_ALL_ITERATION_AND_BUFFER;
        case "grpc-stream":
          {
            int token = openGrpcStream(arg("x-upstream"), "echo.Echo", "Chat", HeaderMap.empty());
            sendGrpcStreamMessage(token, Utf8.encode("m1"), false);
            sendGrpcStreamMessage(token, Utf8.encode("m2"), true);
            closeGrpcStream(token);
            int other = openGrpcStream(arg("x-upstream"), "echo.Echo", "Other", HeaderMap.empty());
            cancelGrpcCall(other);
            reply(token + " " + other);
            return HeaderAction.STOP_ITERATION;
          }
        case "redis":
          {
            host().initRedis(arg("x-upstream"), "", "", 1000);
            dispatchRedisCall(
                arg("x-upstream"),
                Utf8.encode("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"),
                (status, resp) -> {
                  setHttpRequestHeader(
                      "x-redis", status + " " + Utf8.decode(resp).replace("\r\n", "|"));
                  resumeHttpRequest();
                });
            return HeaderAction.STOP_ALL_ITERATION_AND_BUFFER;
          }
        case "redis-uninitialised":
          try {
            dispatchRedisCall("never-initialised", Utf8.encode("*1\r\n$4\r\nPING\r\n"));
            reply("dispatched");
          } catch (ProxyWasmException e) {
            reply("refused " + e.status());
          }
          return HeaderAction.STOP_ITERATION;
        case "grpc-reply":
          sendGrpcResponse(7, "permission denied", HeaderMap.of("x-why", "test"));
          return HeaderAction.STOP_ITERATION;
        default:
          reply("unknown op " + op);
          return HeaderAction.STOP_ITERATION;
      }
    }

    @Override
    public void onHttpCallResponse(int token, int numHeaders, int bodySize, int numTrailers) {
      HeaderMap headers = getHttpCallResponseHeaders();
      String body = Utf8.decode(getHttpCallResponseBody(0, bodySize).orElse(new byte[0]));
      HeaderMap trailers = getHttpCallResponseTrailers();
      setHttpRequestHeader(
          "x-raw-call",
          numHeaders
              + " "
              + headers.get(":status").orElse("-")
              + " "
              + body
              + " "
              + trailers.get("x-t").orElse("-"));
      resumeHttpRequest();
    }

    @Override
    public void onGrpcReceiveInitialMetadata(int token, int numHeaders) {
      addHttpRequestHeader(
          "x-grpc", "metadata " + getGrpcReceiveInitialMetadata().get("x-reply-md").orElse("-"));
    }

    @Override
    public void onGrpcReceive(int token, int messageSize) {
      addHttpRequestHeader(
          "x-grpc",
          "message " + Utf8.decode(getGrpcReceiveBuffer(0, messageSize).orElse(new byte[0])));
    }

    @Override
    public void onGrpcReceiveTrailingMetadata(int token, int numTrailers) {
      addHttpRequestHeader(
          "x-grpc", "trailers " + getGrpcReceiveTrailingMetadata().get("grpc-message").orElse("-"));
    }

    @Override
    public void onGrpcClose(int token, int statusCode) {
      addHttpRequestHeader("x-grpc", "close " + statusCode);
      resumeHttpRequest();
    }

    @Override
    public DataAction onRequestBody(int bodySize, boolean endOfStream) {
      switch (bodyOp) {
        case "buffer":
          if (!endOfStream) {
            return DataAction.STOP_ITERATION_AND_BUFFER;
          }
          byte[] body = getHttpRequestBody(0, bodySize).orElse(new byte[0]);
          reply(body.length + " " + fnv(body));
          return DataAction.STOP_ITERATION_AND_BUFFER;
        case "upper":
          {
            byte[] chunk = getHttpRequestBody(0, bodySize).orElse(new byte[0]);
            setHttpRequestBody(upper(chunk));
            return DataAction.CONTINUE;
          }
        case "swallow":
          return DataAction.STOP_ITERATION_NO_BUFFER;
        case "splice":
          if (!endOfStream) {
            return DataAction.STOP_ITERATION_AND_BUFFER;
          }
          setHttpRequestBody(0, 5, Utf8.encode("HOWDY"));
          return DataAction.CONTINUE;
        case "pause-headers":
          if (endOfStream) {
            resumeHttpRequest();
          }
          return DataAction.CONTINUE;
        case "throw":
          throw new IllegalArgumentException("boom in request body");
        default:
          return DataAction.CONTINUE;
      }
    }

    @Override
    public TrailerAction onRequestTrailers(int numTrailers) {
      if (bodyOp.equals("trailers")) {
        setHttpRequestTrailer("x-seen-trailers", Integer.toString(numTrailers));
        addHttpRequestTrailer("x-added", getHttpRequestTrailer("t1").orElse("-"));
        removeHttpRequestTrailer("t2");
        return TrailerAction.PAUSE;
      }
      if (bodyOp.equals("replace-trailers")) {
        setHttpRequestTrailers(HeaderMap.of("only", "this"));
      }
      return TrailerAction.CONTINUE;
    }

    @Override
    public HeaderAction onResponseHeaders(int numHeaders, boolean endOfStream) {
      switch (responseOp) {
        case "add-header":
          addHttpResponseHeader("x-plugin", "rustless");
          removeHttpResponseHeader("server");
          return HeaderAction.CONTINUE;
        case "bytes-headers":
          setHttpResponseHeaderBytes("x-raw", new byte[] {(byte) 0xFF, 'a'});
          addHttpResponseHeaderBytes("x-raw", new byte[] {'b'});
          setHttpResponseHeaders(getHttpResponseHeaders().toBuilder().add("x-all", "set").build());
          return HeaderAction.CONTINUE;
        case "read-status":
          setHttpResponseHeader("x-status-seen", getHttpResponseHeader(":status").orElse("none"));
          return HeaderAction.CONTINUE;
        case "throw":
          throw new IllegalStateException("boom in response headers");
        default:
          return HeaderAction.CONTINUE;
      }
    }

    @Override
    public DataAction onResponseBody(int bodySize, boolean endOfStream) {
      switch (responseOp) {
        case "splice":
          if (!endOfStream) {
            return DataAction.STOP_ITERATION_AND_BUFFER;
          }
          setHttpResponseBody(bodySize, 0, Utf8.encode("!"));
          return DataAction.CONTINUE;
        case "replace-body":
          if (!endOfStream) {
            return DataAction.STOP_ITERATION_AND_BUFFER;
          }
          byte[] body = getHttpResponseBody(0, bodySize).orElse(new byte[0]);
          setHttpResponseBody(Utf8.encode("[" + body.length + "]"));
          return DataAction.CONTINUE;
        case "throw":
          throw new IllegalStateException("boom in response body");
        default:
          return DataAction.CONTINUE;
      }
    }

    @Override
    public TrailerAction onResponseTrailers(int numTrailers) {
      if (responseOp.equals("trailers")) {
        setHttpResponseTrailer("x-grpc-checked", getHttpResponseTrailer("grpc-status").orElse("?"));
        addHttpResponseTrailer("x-more", "1");
        removeHttpResponseTrailer("drop-me");
      }
      if (responseOp.equals("replace-trailers")) {
        setHttpResponseTrailers(HeaderMap.of("only", getHttpResponseTrailers().size() + ""));
      }
      return TrailerAction.CONTINUE;
    }
  }

  /** Counts how often it was formatted, to prove lazy logging skips formatting. */
  static final class Counted implements Loggable {
    static int formatted;

    @Override
    public String toLogString() {
      formatted++;
      return "counted";
    }
  }

  /** "a.b.c" → {"a", "b", "c"}; String.split would pull java.util.regex (~250 KB) in. */
  static String[] path(String dotted) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    int start = 0;
    for (int i = 0; i <= dotted.length(); i++) {
      if (i == dotted.length() || dotted.charAt(i) == '.') {
        parts.add(dotted.substring(start, i));
        start = i + 1;
      }
    }
    return parts.toArray(new String[0]);
  }

  static int parseInt(String s) {
    return s.isEmpty() ? 0 : Integer.parseInt(s);
  }

  static String hex(byte[] bytes) {
    char[] digits = "0123456789abcdef".toCharArray();
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(digits[(b >> 4) & 0xF]).append(digits[b & 0xF]);
    }
    return sb.toString();
  }

  /** FNV-1a, 32 bits: a checksum both modes and the test compute the same way. */
  public static String fnv(byte[] bytes) {
    int h = 0x811C9DC5;
    for (byte b : bytes) {
      h ^= b & 0xFF;
      h *= 0x01000193;
    }
    return Integer.toHexString(h);
  }

  static byte[] upper(byte[] in) {
    byte[] out = in.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] >= 'a' && out[i] <= 'z') {
        out[i] = (byte) (out[i] - 32);
      }
    }
    return out;
  }
}

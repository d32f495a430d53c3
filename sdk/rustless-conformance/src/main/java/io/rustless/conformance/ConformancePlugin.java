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
import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.host.HeaderMap;

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
    @Override
    public StartStatus onVmStart(int vmConfigurationSize) {
      return StartStatus.OK;
    }

    @Override
    public StartStatus onConfigure(int size) {
      byte[] raw = getPluginConfiguration().orElse(new byte[0]);
      if (raw.length == 0) {
        return StartStatus.OK;
      }
      ConfigReader config = ConfigReader.of(Json.parse(raw).asObject());
      String policy = config.getString("failure_policy", "open");
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
                  java.util.Arrays.asList(path(arg("x-path"))),
                  io.rustless.sdk.internal.Utf8.encode(arg("x-value")));
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
        default:
          reply("unknown op " + op);
          return HeaderAction.STOP_ITERATION;
      }
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
        return TrailerAction.PAUSE;
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
        case "replace-body":
          if (!endOfStream) {
            return DataAction.STOP_ITERATION_AND_BUFFER;
          }
          byte[] body = getHttpResponseBody(0, bodySize).orElse(new byte[0]);
          setHttpResponseBody(io.rustless.sdk.internal.Utf8.encode("[" + body.length + "]"));
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
      }
      return TrailerAction.CONTINUE;
    }
  }

  /** Counts how often it was formatted, to prove lazy logging skips formatting. */
  static final class Counted {
    static int formatted;

    @Override
    public String toString() {
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

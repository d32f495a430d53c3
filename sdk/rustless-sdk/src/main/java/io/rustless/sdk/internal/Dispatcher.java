package io.rustless.sdk.internal;

import io.rustless.sdk.api.Context;
import io.rustless.sdk.api.FailurePolicy;
import io.rustless.sdk.api.HttpCallHandler;
import io.rustless.sdk.api.HttpCallResponse;
import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.api.RedisCallHandler;
import io.rustless.sdk.api.RootContext;
import io.rustless.sdk.api.RootContextFactory;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.host.StreamType;

/**
 * Routes every {@code proxy_on_*} callback to the plugin's contexts. Internal.
 *
 * <p>Each entry point takes and returns the ABI's integers, so the Wasm exports and the test kit's
 * JVM emulator drive exactly the same code. Nothing escapes: a {@link Throwable} from plugin code
 * is logged at CRITICAL and turned into the fail-safe answer of the {@link FailurePolicy}; the
 * stream then bypasses the plugin.
 *
 * <p>Calls out (HTTP, gRPC, Redis) belong to the root context in the host, so their answers arrive
 * with the root's id. The dispatcher remembers which context dispatched each token, makes that
 * context effective again and hands it the answer, as the Rust and Go SDKs do.
 */
public final class Dispatcher {
  private static final String PREFIX = "[rustless] ";
  private static final byte[] FAIL_CLOSED_BODY = Utf8.encode("plugin error\n");

  private static RootContextFactory factory;
  private static FailurePolicy failurePolicy = FailurePolicy.FAIL_OPEN;
  private static final IntMap<RootContext> roots = new IntMap<>();
  private static final IntMap<Stream> streams = new IntMap<>();
  private static final IntMap<Callout> httpCalls = new IntMap<>();
  private static final IntMap<Callout> grpcCalls = new IntMap<>();
  private static final IntMap<Callout> redisCalls = new IntMap<>();
  private static int activeContextId;
  private static ErrorListener errorListener;

  private Dispatcher() {}

  /** Receives every exception the dispatcher catches; the test kit uses it to surface them. */
  public interface ErrorListener {
    void onError(String callback, int contextId, Throwable error);
  }

  /** Who dispatched a call out, and the handler (if any) waiting for its answer. */
  private static final class Callout {
    final int contextId;
    final Object handler;

    Callout(int contextId, Object handler) {
      this.contextId = contextId;
      this.handler = handler;
    }
  }

  private static final class Stream {
    final HttpContext http;
    final int rootId;
    boolean failed;
    boolean requestPaused;
    boolean responsePaused;
    boolean responseStarted;

    Stream(HttpContext http, int rootId) {
      this.http = http;
      this.rootId = rootId;
    }

    boolean bypassed() {
      return http == null || failed;
    }
  }

  // ---- registration (from the plugin's main) and test-kit hooks ----------------------------

  public static void setRootContextFactory(RootContextFactory f) {
    factory = f;
  }

  public static void setFailurePolicy(FailurePolicy policy) {
    failurePolicy = policy == null ? FailurePolicy.FAIL_OPEN : policy;
  }

  public static void setErrorListener(ErrorListener listener) {
    errorListener = listener;
  }

  /** Forgets every context and registration; the JVM emulator calls it between VMs. */
  public static void reset() {
    factory = null;
    failurePolicy = FailurePolicy.FAIL_OPEN;
    roots.clear();
    streams.clear();
    httpCalls.clear();
    grpcCalls.clear();
    redisCalls.clear();
    activeContextId = 0;
    errorListener = null;
  }

  /** Live contexts, root and HTTP; a diagnostic for leak tests. */
  public static int liveContexts() {
    return roots.size() + streams.size();
  }

  /** Calls out whose answer has not arrived; a diagnostic for leak tests. */
  public static int pendingCalls() {
    return httpCalls.size() + grpcCalls.size() + redisCalls.size();
  }

  // ---- bookkeeping called from the API ------------------------------------------------------

  /** Remembers that the running context dispatched HTTP call {@code token}. */
  public static void trackHttpCall(int token) {
    track(httpCalls, token, null);
  }

  /** As {@link #trackHttpCall(int)}, with the handler that gets the answer. */
  public static void trackHttpCall(int token, HttpCallHandler handler) {
    track(httpCalls, token, handler);
  }

  /** Remembers that the running context dispatched gRPC call or stream {@code token}. */
  public static void trackGrpcCall(int token) {
    track(grpcCalls, token, null);
  }

  /** Remembers that the running context dispatched Redis call {@code token}. */
  public static void trackRedisCall(int token) {
    track(redisCalls, token, null);
  }

  /** As {@link #trackRedisCall(int)}, with the handler that gets the reply. */
  public static void trackRedisCall(int token, RedisCallHandler handler) {
    track(redisCalls, token, handler);
  }

  private static void track(IntMap<Callout> calls, int token, Object handler) {
    io.rustless.sdk.internal.abi.CalloutExports.link();
    if (token > 0) {
      calls.put(token, new Callout(activeContextId, handler));
    }
  }

  /** The running stream resumed one direction (so a later failure need not resume it). */
  public static void resumed(StreamType direction) {
    Stream s = streams.get(activeContextId);
    if (s != null) {
      if (direction == StreamType.HTTP_REQUEST) {
        s.requestPaused = false;
      } else {
        s.responsePaused = false;
      }
    }
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  public static void onContextCreate(int contextId, int parentId) {
    activeContextId = contextId;
    try {
      if (parentId == 0) {
        RootContext root = factory == null ? null : factory.create(contextId);
        if (root == null) {
          log(
              LogLevel.CRITICAL,
              "no root context registered: call ProxyWasm.setRootContext in main");
          root = new RootContext() {};
        }
        roots.put(contextId, root);
        return;
      }
      RootContext root = roots.get(parentId);
      HttpContext http = null;
      if (root == null) {
        log(LogLevel.ERROR, "context " + contextId + " has unknown root " + parentId);
      } else {
        http = root.createHttpContext(contextId);
      }
      streams.put(contextId, new Stream(http, parentId));
    } catch (Throwable t) {
      failed("proxy_on_context_create", contextId, t);
      if (parentId != 0) {
        streams.put(contextId, new Stream(null, parentId));
      } else if (roots.get(contextId) == null) {
        roots.put(contextId, new RootContext() {});
      }
    }
  }

  private static final int VM_START = 0;
  private static final int CONFIGURE = 1;
  private static final int TICK = 2;
  private static final int QUEUE_READY = 3;
  private static final int FOREIGN_FUNCTION = 4;
  private static final String[] ROOT_CALLBACKS = {
    "proxy_on_vm_start",
    "proxy_on_configure",
    "proxy_on_tick",
    "proxy_on_queue_ready",
    "proxy_on_foreign_function"
  };

  public static int onVmStart(int rootId, int vmConfigurationSize) {
    return root(VM_START, rootId, vmConfigurationSize, 0);
  }

  public static int onConfigure(int rootId, int pluginConfigurationSize) {
    return root(CONFIGURE, rootId, pluginConfigurationSize, 0);
  }

  public static void onTick(int rootId) {
    root(TICK, rootId, 0, 0);
  }

  public static void onQueueReady(int rootId, int queueId) {
    root(QUEUE_READY, rootId, queueId, 0);
  }

  public static void onForeignFunction(int rootId, int functionId, int dataSize) {
    root(FOREIGN_FUNCTION, rootId, functionId, dataSize);
  }

  /** Root-context events; start-up events answer 1 (OK) or 0 (failed), the others 0. */
  private static int root(int event, int rootId, int a, int b) {
    activeContextId = rootId;
    RootContext root = roots.get(rootId);
    if (root == null) {
      return 0;
    }
    try {
      switch (event) {
        case VM_START:
          return ok(root.onVmStart(a));
        case CONFIGURE:
          return ok(root.onConfigure(a));
        case TICK:
          root.onTick();
          return 0;
        case QUEUE_READY:
          root.onQueueReady(a);
          return 0;
        default:
          root.onForeignFunction(a, b);
          return 0;
      }
    } catch (Throwable t) {
      failed(ROOT_CALLBACKS[event], rootId, t);
      return 0;
    }
  }

  public static int onDone(int contextId) {
    activeContextId = contextId;
    try {
      Stream s = streams.get(contextId);
      if (s != null) {
        return s.http == null || s.http.onDone() ? 1 : 0;
      }
      RootContext root = roots.get(contextId);
      return root == null || root.onDone() ? 1 : 0;
    } catch (Throwable t) {
      failed("proxy_on_done", contextId, t);
      return 1;
    }
  }

  public static void onLog(int contextId) {
    activeContextId = contextId;
    try {
      Stream s = streams.get(contextId);
      if (s != null) {
        if (s.http != null) {
          s.http.onLog();
        }
        return;
      }
      RootContext root = roots.get(contextId);
      if (root != null) {
        root.onLog();
      }
    } catch (Throwable t) {
      failed("proxy_on_log", contextId, t);
    }
  }

  public static void onDelete(int contextId) {
    activeContextId = contextId;
    Stream s = streams.remove(contextId);
    RootContext root = s == null ? roots.remove(contextId) : null;
    try {
      if (s != null && s.http != null) {
        s.http.onDelete();
      } else if (root != null) {
        root.onDelete();
      }
    } catch (Throwable t) {
      failed("proxy_on_delete", contextId, t);
    }
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private static final int REQUEST_HEADERS = 0;
  private static final int REQUEST_BODY = 1;
  private static final int REQUEST_TRAILERS = 2;
  private static final int RESPONSE_HEADERS = 3;
  private static final int RESPONSE_BODY = 4;
  private static final int RESPONSE_TRAILERS = 5;
  private static final String[] STREAM_CALLBACKS = {
    "proxy_on_request_headers",
    "proxy_on_request_body",
    "proxy_on_request_trailers",
    "proxy_on_response_headers",
    "proxy_on_response_body",
    "proxy_on_response_trailers"
  };

  public static int onRequestHeaders(int contextId, int numHeaders, boolean endOfStream) {
    return stream(REQUEST_HEADERS, contextId, numHeaders, endOfStream);
  }

  public static int onRequestBody(int contextId, int bodySize, boolean endOfStream) {
    return stream(REQUEST_BODY, contextId, bodySize, endOfStream);
  }

  public static int onRequestTrailers(int contextId, int numTrailers) {
    return stream(REQUEST_TRAILERS, contextId, numTrailers, true);
  }

  public static int onResponseHeaders(int contextId, int numHeaders, boolean endOfStream) {
    return stream(RESPONSE_HEADERS, contextId, numHeaders, endOfStream);
  }

  public static int onResponseBody(int contextId, int bodySize, boolean endOfStream) {
    return stream(RESPONSE_BODY, contextId, bodySize, endOfStream);
  }

  public static int onResponseTrailers(int contextId, int numTrailers) {
    return stream(RESPONSE_TRAILERS, contextId, numTrailers, true);
  }

  /**
   * One entry for every stream event, so there is one exception handler (each handler costs code in
   * TeaVM's output). Code 0 is CONTINUE for headers, data and trailers alike; every other code
   * holds the stream until the plugin resumes it.
   */
  private static int stream(int event, int contextId, int size, boolean endOfStream) {
    activeContextId = contextId;
    Stream s = streams.get(contextId);
    if (s == null || s.bypassed()) {
      return 0;
    }
    if (event >= RESPONSE_HEADERS) {
      s.responseStarted = true;
    }
    try {
      HttpContext h = s.http;
      int code;
      switch (event) {
        case REQUEST_HEADERS:
          code = h.onRequestHeaders(size, endOfStream).code();
          break;
        case REQUEST_BODY:
          code = h.onRequestBody(size, endOfStream).code();
          break;
        case REQUEST_TRAILERS:
          code = h.onRequestTrailers(size).code();
          break;
        case RESPONSE_HEADERS:
          code = h.onResponseHeaders(size, endOfStream).code();
          break;
        case RESPONSE_BODY:
          code = h.onResponseBody(size, endOfStream).code();
          break;
        default:
          code = h.onResponseTrailers(size).code();
      }
      // CONTINUE_AND_END_STREAM (2) does not hold the stream; NO_BUFFER (3) on a body does not
      // wait for a resume either, but holding it as paused is the safe reading for fail-open
      boolean paused =
          code != 0 && !(code == 2 && (event == REQUEST_HEADERS || event == RESPONSE_HEADERS));
      if (event < RESPONSE_HEADERS) {
        s.requestPaused = paused;
      } else {
        s.responsePaused = paused;
      }
      return code;
    } catch (Throwable t) {
      // a local reply is possible until response headers have gone to the client
      return failStream(s, STREAM_CALLBACKS[event], contextId, t, event <= RESPONSE_HEADERS);
    }
  }

  // ---- answers to calls out -----------------------------------------------------------------

  private static final int HTTP_CALL = 0;
  private static final int GRPC_METADATA = 1;
  private static final int GRPC_MESSAGE = 2;
  private static final int GRPC_TRAILERS = 3;
  private static final int GRPC_CLOSE = 4;
  private static final int REDIS = 5;
  private static final String[] CALLOUT_CALLBACKS = {
    "proxy_on_http_call_response",
    "proxy_on_grpc_receive_initial_metadata",
    "proxy_on_grpc_receive",
    "proxy_on_grpc_receive_trailing_metadata",
    "proxy_on_grpc_close",
    "proxy_on_redis_call_response"
  };

  public static void onHttpCallResponse(
      int contextId, int token, int numHeaders, int bodySize, int numTrailers) {
    callout(HTTP_CALL, contextId, token, numHeaders, bodySize, numTrailers);
  }

  public static void onGrpcReceiveInitialMetadata(int contextId, int token, int numHeaders) {
    callout(GRPC_METADATA, contextId, token, numHeaders, 0, 0);
  }

  public static void onGrpcReceive(int contextId, int token, int messageSize) {
    callout(GRPC_MESSAGE, contextId, token, messageSize, 0, 0);
  }

  public static void onGrpcReceiveTrailingMetadata(int contextId, int token, int numTrailers) {
    callout(GRPC_TRAILERS, contextId, token, numTrailers, 0, 0);
  }

  public static void onGrpcClose(int contextId, int token, int statusCode) {
    callout(GRPC_CLOSE, contextId, token, statusCode, 0, 0);
  }

  public static void onRedisCallResponse(int contextId, int token, int status, int responseSize) {
    callout(REDIS, contextId, token, status, responseSize, 0);
  }

  private static void callout(int event, int contextId, int token, int a, int b, int c) {
    IntMap<Callout> calls =
        event == HTTP_CALL ? httpCalls : event == REDIS ? redisCalls : grpcCalls;
    boolean last = event == HTTP_CALL || event == REDIS || event == GRPC_CLOSE;
    Callout origin = last ? calls.remove(token) : calls.get(token);
    int target = origin == null || origin.contextId == 0 ? contextId : origin.contextId;
    activeContextId = target;
    Stream s = streams.get(target);
    Context context = s != null ? s.http : roots.get(target);
    if (context == null || (s != null && s.failed)) {
      return; // the stream is gone or bypassed; nobody waits for this answer
    }
    try {
      if (target != contextId) {
        CurrentHost.get().setEffectiveContext(target);
      }
      Object handler = origin == null ? null : origin.handler;
      switch (event) {
        case HTTP_CALL:
          if (handler != null) {
            ((HttpCallHandler) handler).onResponse(readHttpCallResponse(token, b));
          } else {
            context.onHttpCallResponse(token, a, b, c);
          }
          break;
        case GRPC_METADATA:
          context.onGrpcReceiveInitialMetadata(token, a);
          break;
        case GRPC_MESSAGE:
          context.onGrpcReceive(token, a);
          break;
        case GRPC_TRAILERS:
          context.onGrpcReceiveTrailingMetadata(token, a);
          break;
        case GRPC_CLOSE:
          context.onGrpcClose(token, a);
          break;
        default:
          if (handler != null) {
            byte[] resp =
                b <= 0
                    ? new byte[0]
                    : CurrentHost.get()
                        .getBufferBytes(BufferType.REDIS_CALL_RESPONSE, 0, b)
                        .orElse(new byte[0]);
            ((RedisCallHandler) handler).onResponse(a, resp);
          } else {
            context.onRedisCallResponse(token, a, b);
          }
      }
    } catch (Throwable t) {
      if (s == null) {
        failed(CALLOUT_CALLBACKS[event], target, t);
      } else {
        failPausedStream(s, CALLOUT_CALLBACKS[event], target, t);
      }
    }
  }

  private static HttpCallResponse readHttpCallResponse(int token, int bodySize) {
    io.rustless.sdk.host.Host host = CurrentHost.get();
    HeaderMap headers = host.getHeaderMap(MapType.HTTP_CALL_RESPONSE_HEADERS);
    byte[] body =
        bodySize <= 0
            ? new byte[0]
            : host.getBufferBytes(BufferType.HTTP_CALL_RESPONSE_BODY, 0, bodySize)
                .orElse(new byte[0]);
    HeaderMap trailers = host.getHeaderMap(MapType.HTTP_CALL_RESPONSE_TRAILERS);
    return new HttpCallResponse(token, headers, body, trailers);
  }

  // ---- failure handling ---------------------------------------------------------------------

  private static int ok(StartStatus status) {
    return status == StartStatus.OK ? 1 : 0;
  }

  /**
   * A stream callback threw: log it, stop calling the plugin for this stream, and answer per the
   * failure policy. Fail-open continues (code 0 is CONTINUE for headers, data and trailers alike);
   * fail-closed replies 500 while a reply is still possible, else resets the stream.
   */
  private static int failStream(
      Stream s, String callback, int contextId, Throwable t, boolean replyPossible) {
    s.failed = true;
    failed(callback, contextId, t);
    if (failurePolicy == FailurePolicy.FAIL_OPEN) {
      return 0;
    }
    failClosed(callback, contextId, replyPossible);
    return 1; // STOP_ITERATION / STOP_ITERATION_AND_BUFFER / PAUSE
  }

  /**
   * An answer callback threw while its stream may be waiting for it: without a fix the request
   * would hang until the proxy times it out. Fail-open resumes what the plugin held; fail-closed
   * replies 500 (or resets the stream once the response has started).
   */
  private static void failPausedStream(Stream s, String callback, int contextId, Throwable t) {
    s.failed = true;
    failed(callback, contextId, t);
    if (failurePolicy == FailurePolicy.FAIL_CLOSED) {
      failClosed(callback, contextId, !s.responseStarted);
      return;
    }
    try {
      if (s.requestPaused) {
        CurrentHost.get().continueStream(StreamType.HTTP_REQUEST);
      }
      if (s.responsePaused) {
        CurrentHost.get().continueStream(StreamType.HTTP_RESPONSE);
      }
    } catch (Throwable again) {
      failed(callback + " (fail-open resume)", contextId, again);
    }
  }

  private static void failClosed(String callback, int contextId, boolean replyPossible) {
    try {
      if (replyPossible) {
        CurrentHost.get()
            .sendLocalResponse(
                500, "rustless_plugin_error", FAIL_CLOSED_BODY, HeaderMap.empty(), -1);
      } else {
        CurrentHost.get().closeStream(StreamType.HTTP_RESPONSE);
      }
    } catch (Throwable again) {
      failed(callback + " (fail-closed reply)", contextId, again);
    }
  }

  private static void failed(String callback, int contextId, Throwable t) {
    log(
        LogLevel.CRITICAL,
        "uncaught exception in " + callback + " (context " + contextId + "): " + describe(t));
    ErrorListener l = errorListener;
    if (l != null) {
      try {
        l.onError(callback, contextId, t);
      } catch (Throwable ignored) {
        // a listener must not turn a caught error into an escaping one
      }
    }
  }

  /** {@code Class: message}, or the class name alone without a message. */
  public static String describe(Throwable t) {
    String message = t.getMessage();
    String name = t.getClass().getName();
    if (name == null) {
      name = runtimeExceptionName(t);
    }
    return message == null ? name : name + ": " + message;
  }

  /**
   * TeaVM keeps a class's name only if its analysis sees the class reach {@code getName()};
   * exceptions the runtime itself raises (a bad array index, a failed cast) can be missing.
   */
  private static String runtimeExceptionName(Throwable t) {
    if (t instanceof ArrayIndexOutOfBoundsException) {
      return "java.lang.ArrayIndexOutOfBoundsException";
    }
    if (t instanceof ClassCastException) {
      return "java.lang.ClassCastException";
    }
    if (t instanceof NullPointerException) {
      return "java.lang.NullPointerException";
    }
    if (t instanceof NegativeArraySizeException) {
      return "java.lang.NegativeArraySizeException";
    }
    if (t instanceof ArithmeticException) {
      return "java.lang.ArithmeticException";
    }
    return t instanceof RuntimeException ? "java.lang.RuntimeException" : "java.lang.Throwable";
  }

  private static void log(LogLevel level, String message) {
    try {
      CurrentHost.get().log(level, PREFIX + message);
    } catch (Throwable ignored) {
      // nowhere left to report to; never let logging trap the module
    }
  }
}

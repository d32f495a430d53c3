package io.rustless.sdk.internal;

import io.rustless.sdk.api.Context;
import io.rustless.sdk.api.FailurePolicy;
import io.rustless.sdk.api.HttpCallHandler;
import io.rustless.sdk.api.HttpCallResponse;
import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.api.PluginRuntime;
import io.rustless.sdk.api.RedisCallHandler;
import io.rustless.sdk.api.RootContext;
import io.rustless.sdk.api.RootContextFactory;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.Host;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.host.StreamType;

/**
 * Routes every {@code proxy_on_*} callback of one VM to the plugin's contexts. Internal; one per VM
 * (the module's exports own one, the JVM emulator one per plugin instance).
 *
 * <p>Each entry point takes and returns the ABI's integers, so the Wasm exports and the test kit's
 * JVM emulator drive exactly the same code. Nothing escapes: a {@link Throwable} from plugin code
 * is handed to {@link Failures}, which logs it and answers per the {@link FailurePolicy}; the
 * stream then bypasses the plugin.
 *
 * <p>Calls out (HTTP, gRPC, Redis) belong to the root context in the host, so their answers arrive
 * with the root's id. The dispatcher remembers which context dispatched each token, makes that
 * context effective again and hands it the answer, as the Rust and Go SDKs do.
 */
public final class Dispatcher extends PluginRuntime {
  private final Host host;

  /** Made at the first failure: most VMs never have one, and allocations cost module code. */
  private Failures failures;

  /** What a failing stream gets; null until the plugin chooses, which means fail-open. */
  private FailurePolicy policy;

  private RootContextFactory factory;
  private final IntMap<RootContext> roots = new IntMap<>();
  private final IntMap<Stream> streams = new IntMap<>();

  /** Calls out by kind; made when the plugin first dispatches one (most plugins never do). */
  private IntMap<Callout<HttpCallHandler>> httpCalls;

  private IntMap<Callout<Object>> grpcCalls;
  private IntMap<Callout<RedisCallHandler>> redisCalls;
  private int activeContextId;

  /** Who dispatched a call out, and the handler waiting for its answer (null: the context). */
  private static final class Callout<H> {
    final int contextId;
    final H handler;

    Callout(int contextId, H handler) {
      this.contextId = contextId;
      this.handler = handler;
    }
  }

  /** A dispatcher whose plugin talks to {@code host}. */
  public Dispatcher(Host host) {
    this.host = host;
  }

  /** Makes this VM the one the plugin's code runs in; returns the one it was. */
  public PluginRuntime activate() {
    return makeCurrent(this);
  }

  /** Hands control back to {@code previous} (from {@link #activate()}). */
  public static void restore(PluginRuntime previous) {
    makeCurrent(previous);
  }

  // ---- the plugin API's side ------------------------------------------------------------------

  @Override
  protected Host runtimeHost() {
    return host;
  }

  @Override
  public void setRootContextFactory(RootContextFactory f) {
    factory = f;
  }

  @Override
  public void setFailurePolicy(FailurePolicy policy) {
    this.policy = policy;
  }

  private Failures failures() {
    Failures f = failures;
    if (f == null) {
      f = new Failures(host);
      failures = f;
    }
    return f;
  }

  @Override
  public void trackHttpCall(int token, HttpCallHandler handler) {
    if (httpCalls == null) {
      httpCalls = new IntMap<>();
    }
    track(httpCalls, token, handler);
  }

  @Override
  public void trackGrpcCall(int token) {
    if (grpcCalls == null) {
      grpcCalls = new IntMap<>();
    }
    track(grpcCalls, token, null);
  }

  @Override
  public void trackRedisCall(int token, RedisCallHandler handler) {
    if (redisCalls == null) {
      redisCalls = new IntMap<>();
    }
    track(redisCalls, token, handler);
  }

  /** Remembers call {@code token} (0, a refused dispatch, is not remembered). */
  private <H> void track(IntMap<Callout<H>> calls, int token, H handler) {
    io.rustless.sdk.internal.abi.CalloutExports.link();
    if (token > 0) {
      calls.put(token, new Callout<>(activeContextId, handler));
    }
  }

  private static int size(IntMap<?> calls) {
    return calls == null ? 0 : calls.size();
  }

  @Override
  public void resumed(StreamType direction) {
    Stream s = streams.get(activeContextId);
    if (s != null) {
      if (direction == StreamType.HTTP_REQUEST) {
        s.requestPaused = false;
      } else {
        s.responsePaused = false;
      }
    }
  }

  /** Live contexts, root and HTTP; a diagnostic for leak tests. */
  public int liveContexts() {
    return roots.size() + streams.size();
  }

  /** Calls out whose answer has not arrived; a diagnostic for leak tests. */
  public int pendingCalls() {
    return size(httpCalls) + size(grpcCalls) + size(redisCalls);
  }

  /** The root context {@code contextId}, or null. */
  public RootContext rootContext(int contextId) {
    return roots.get(contextId);
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  public void onContextCreate(int contextId, int parentId) {
    activeContextId = contextId;
    try {
      if (parentId == 0) {
        RootContext root = factory == null ? null : factory.create(contextId);
        if (root == null) {
          failures()
              .log(
                  LogLevel.CRITICAL,
                  "no root context registered: call ProxyWasm.setRootContext in main");
          root = emptyRoot();
        }
        roots.put(contextId, root);
        return;
      }
      RootContext root = roots.get(parentId);
      HttpContext http = null;
      if (root == null) {
        failures().log(LogLevel.ERROR, "context " + contextId + " has unknown root " + parentId);
      } else {
        http = root.createHttpContext(contextId);
      }
      streams.put(contextId, new Stream(http));
    } catch (Throwable t) {
      failures().failed("proxy_on_context_create", contextId, t);
      if (parentId != 0) {
        streams.put(contextId, new Stream(null));
      } else if (roots.get(contextId) == null) {
        roots.put(contextId, emptyRoot());
      }
    }
  }

  /**
   * A root context that does nothing (static: an anonymous class here would hold the dispatcher).
   */
  private static RootContext emptyRoot() {
    return new RootContext() {};
  }

  /** Root-context events, numbered as {@link #ROOT_CALLBACKS} names them. */
  public static final int VM_START = 0;

  public static final int CONFIGURE = 1;
  public static final int TICK = 2;
  public static final int QUEUE_READY = 3;
  public static final int FOREIGN_FUNCTION = 4;
  private static final String[] ROOT_CALLBACKS = {
    "proxy_on_vm_start",
    "proxy_on_configure",
    "proxy_on_tick",
    "proxy_on_queue_ready",
    "proxy_on_foreign_function"
  };

  /**
   * Root-context event {@code event} with its arguments; start-up events answer 1 (OK) or 0
   * (failed), the others 0.
   */
  public int root(int event, int rootId, int a, int b) {
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
      failures().failed(ROOT_CALLBACKS[event], rootId, t);
      return 0;
    }
  }

  private static int ok(StartStatus status) {
    return status == StartStatus.OK ? 1 : 0;
  }

  /** The end of a context, numbered as {@link #END_CALLBACKS} names them. */
  public static final int DONE = 0;

  public static final int LOG = 1;
  public static final int DELETE = 2;
  private static final String[] END_CALLBACKS = {
    "proxy_on_done", "proxy_on_log", "proxy_on_delete"
  };

  /**
   * The end of context {@code contextId}, stream or root: done (answers 0 to postpone deletion,
   * else 1), log, then delete. One entry, so one exception handler.
   */
  public int end(int event, int contextId) {
    activeContextId = contextId;
    // one test of the event per path: TeaVM turns a pair of values compared twice into a call
    Stream s;
    Context context;
    if (event == DELETE) {
      s = streams.remove(contextId);
      context = s != null ? s.http : roots.remove(contextId);
    } else {
      s = streams.get(contextId);
      context = s != null ? s.http : roots.get(contextId);
    }
    try {
      if (context != null) {
        if (event == DONE) {
          return context.onDone() ? 1 : 0;
        }
        if (event == LOG) {
          context.onLog();
        } else {
          context.onDelete();
        }
      }
    } catch (Throwable t) {
      failures().failed(END_CALLBACKS[event], contextId, t);
    }
    return 1;
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  /** HTTP stream events, numbered as {@link #STREAM_CALLBACKS} names them. */
  public static final int REQUEST_HEADERS = 0;

  public static final int REQUEST_BODY = 1;
  public static final int REQUEST_TRAILERS = 2;
  public static final int RESPONSE_HEADERS = 3;
  public static final int RESPONSE_BODY = 4;
  public static final int RESPONSE_TRAILERS = 5;
  private static final String[] STREAM_CALLBACKS = {
    "proxy_on_request_headers",
    "proxy_on_request_body",
    "proxy_on_request_trailers",
    "proxy_on_response_headers",
    "proxy_on_response_body",
    "proxy_on_response_trailers"
  };

  /**
   * Stream event {@code event}: {@code size} is the number of headers or trailers, or the body
   * size. One entry for every stream event, so there is one exception handler (each handler costs
   * code in TeaVM's output). Code 0 is CONTINUE for headers, data and trailers alike; every other
   * code holds the stream until the plugin resumes it.
   */
  public int stream(int event, int contextId, int size, boolean endOfStream) {
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
      return failures()
          .failStream(s, policy, STREAM_CALLBACKS[event], contextId, t, event <= RESPONSE_HEADERS);
    }
  }

  // ---- answers to calls out -----------------------------------------------------------------

  /** Answers to calls out, numbered as {@link #CALLOUT_CALLBACKS} names them. */
  public static final int HTTP_CALL = 0;

  public static final int GRPC_METADATA = 1;
  public static final int GRPC_MESSAGE = 2;
  public static final int GRPC_TRAILERS = 3;
  public static final int GRPC_CLOSE = 4;
  public static final int REDIS = 5;
  private static final String[] CALLOUT_CALLBACKS = {
    "proxy_on_http_call_response",
    "proxy_on_grpc_receive_initial_metadata",
    "proxy_on_grpc_receive",
    "proxy_on_grpc_receive_trailing_metadata",
    "proxy_on_grpc_close",
    "proxy_on_redis_call_response"
  };

  /**
   * An answer to call out {@code token}, delivered to the context that dispatched it: for HTTP
   * {@code a, b, c} are the numbers of headers, body bytes and trailers; for gRPC {@code a} is the
   * size (or the status on close); for Redis {@code a} is the status, {@code b} the reply's size.
   */
  public void callout(int event, int contextId, int token, int a, int b, int c) {
    boolean last = event == HTTP_CALL || event == REDIS || event == GRPC_CLOSE;
    IntMap<? extends Callout<?>> calls =
        event == HTTP_CALL ? httpCalls : event == REDIS ? redisCalls : grpcCalls;
    Callout<?> origin = calls == null ? null : last ? calls.remove(token) : calls.get(token);
    int target = origin == null || origin.contextId == 0 ? contextId : origin.contextId;
    activeContextId = target;
    Stream s = streams.get(target);
    Context context = s != null ? s.http : roots.get(target);
    if (context == null || (s != null && s.failed)) {
      return; // the stream is gone or bypassed; nobody waits for this answer
    }
    try {
      if (target != contextId) {
        host.setEffectiveContext(target);
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
                    : host.getBufferBytes(BufferType.REDIS_CALL_RESPONSE, 0, b).orElse(new byte[0]);
            ((RedisCallHandler) handler).onResponse(a, resp);
          } else {
            context.onRedisCallResponse(token, a, b);
          }
      }
    } catch (Throwable t) {
      if (s == null) {
        failures().failed(CALLOUT_CALLBACKS[event], target, t);
      } else {
        failures().failPausedStream(s, policy, CALLOUT_CALLBACKS[event], target, t);
      }
    }
  }

  /**
   * Calls callback {@code name} (e.g. {@code proxy_on_request_headers}) with the ABI's integer
   * arguments, as a module's export of that name would; 0 for callbacks without a result.
   *
   * @throws IllegalArgumentException for a name that is not a proxy-wasm callback
   */
  public int call(String name, int[] args) {
    int[] a = java.util.Arrays.copyOf(args, 5);
    int event = indexOf(ROOT_CALLBACKS, name);
    if (event >= 0) {
      return root(event, a[0], a[1], a[2]);
    }
    event = indexOf(STREAM_CALLBACKS, name);
    if (event >= 0) {
      boolean trailers = event == REQUEST_TRAILERS || event == RESPONSE_TRAILERS;
      return stream(event, a[0], a[1], trailers || a[2] != 0);
    }
    event = indexOf(CALLOUT_CALLBACKS, name);
    if (event >= 0) {
      callout(event, a[0], a[1], a[2], a[3], a[4]);
      return 0;
    }
    event = indexOf(END_CALLBACKS, name);
    if (event >= 0) {
      int result = end(event, a[0]);
      return event == DONE ? result : 0;
    }
    if (name.equals("proxy_on_context_create")) {
      onContextCreate(a[0], a[1]);
      return 0;
    }
    throw new IllegalArgumentException(name + " is not a proxy-wasm callback");
  }

  private static int indexOf(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private HttpCallResponse readHttpCallResponse(int token, int bodySize) {
    HeaderMap headers = host.getHeaderMap(MapType.HTTP_CALL_RESPONSE_HEADERS);
    byte[] body =
        bodySize <= 0
            ? new byte[0]
            : host.getBufferBytes(BufferType.HTTP_CALL_RESPONSE_BODY, 0, bodySize)
                .orElse(new byte[0]);
    HeaderMap trailers = host.getHeaderMap(MapType.HTTP_CALL_RESPONSE_TRAILERS);
    return new HttpCallResponse(token, headers, body, trailers);
  }
}

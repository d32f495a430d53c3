package io.rustless.sdk.internal;

import io.rustless.sdk.api.FailurePolicy;
import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.api.RootContext;
import io.rustless.sdk.api.RootContextFactory;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;

/**
 * Routes every {@code proxy_on_*} callback to the plugin's contexts. Internal.
 *
 * <p>Each entry point takes and returns the ABI's integers, so the Wasm exports and the test kit's
 * JVM emulator drive exactly the same code. Nothing escapes: a {@link Throwable} from plugin code
 * is logged at CRITICAL and turned into the fail-safe answer of the {@link FailurePolicy}; the
 * stream then bypasses the plugin.
 */
public final class Dispatcher {
  private static final String PREFIX = "[rustless] ";
  private static final byte[] FAIL_CLOSED_BODY = Utf8.encode("plugin error\n");

  private static RootContextFactory factory;
  private static FailurePolicy failurePolicy = FailurePolicy.FAIL_OPEN;
  private static final IntMap<RootContext> roots = new IntMap<>();
  private static final IntMap<Stream> streams = new IntMap<>();
  private static ErrorListener errorListener;

  private Dispatcher() {}

  /** Receives every exception the dispatcher catches; the test kit uses it to surface them. */
  public interface ErrorListener {
    void onError(String callback, int contextId, Throwable error);
  }

  private static final class Stream {
    final HttpContext http;
    final int rootId;
    boolean failed;

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
    errorListener = null;
  }

  /** Live contexts, root and HTTP; a diagnostic for leak tests. */
  public static int liveContexts() {
    return roots.size() + streams.size();
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  public static void onContextCreate(int contextId, int parentId) {
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
        Stream s = new Stream(null, parentId);
        streams.put(contextId, s);
      } else if (roots.get(contextId) == null) {
        roots.put(contextId, new RootContext() {});
      }
    }
  }

  public static int onVmStart(int rootId, int vmConfigurationSize) {
    try {
      RootContext root = roots.get(rootId);
      return root == null ? 0 : ok(root.onVmStart(vmConfigurationSize));
    } catch (Throwable t) {
      failed("proxy_on_vm_start", rootId, t);
      return 0;
    }
  }

  public static int onConfigure(int rootId, int pluginConfigurationSize) {
    try {
      RootContext root = roots.get(rootId);
      return root == null ? 0 : ok(root.onConfigure(pluginConfigurationSize));
    } catch (Throwable t) {
      failed("proxy_on_configure", rootId, t);
      return 0;
    }
  }

  public static void onTick(int rootId) {
    try {
      RootContext root = roots.get(rootId);
      if (root != null) {
        root.onTick();
      }
    } catch (Throwable t) {
      failed("proxy_on_tick", rootId, t);
    }
  }

  public static int onDone(int contextId) {
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
   * TeaVM's output). Code 0 is CONTINUE for headers, data and trailers alike.
   */
  private static int stream(int event, int contextId, int size, boolean endOfStream) {
    Stream s = streams.get(contextId);
    if (s == null || s.bypassed()) {
      return 0;
    }
    try {
      HttpContext h = s.http;
      switch (event) {
        case REQUEST_HEADERS:
          return h.onRequestHeaders(size, endOfStream).code();
        case REQUEST_BODY:
          return h.onRequestBody(size, endOfStream).code();
        case REQUEST_TRAILERS:
          return h.onRequestTrailers(size).code();
        case RESPONSE_HEADERS:
          return h.onResponseHeaders(size, endOfStream).code();
        case RESPONSE_BODY:
          return h.onResponseBody(size, endOfStream).code();
        default:
          return h.onResponseTrailers(size).code();
      }
    } catch (Throwable t) {
      // a local reply is possible until response headers have gone to the client
      return failStream(s, STREAM_CALLBACKS[event], contextId, t, event <= RESPONSE_HEADERS);
    }
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
    try {
      if (replyPossible) {
        CurrentHost.get()
            .sendLocalResponse(
                500, "rustless_plugin_error", FAIL_CLOSED_BODY, HeaderMap.empty(), -1);
      } else {
        CurrentHost.get().closeStream(io.rustless.sdk.host.StreamType.HTTP_RESPONSE);
      }
    } catch (Throwable again) {
      failed(callback + " (fail-closed reply)", contextId, again);
    }
    return 1; // STOP_ITERATION / STOP_ITERATION_AND_BUFFER / PAUSE
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

  private static String describe(Throwable t) {
    String message = t.getMessage();
    String name = t.getClass().getName();
    return message == null ? name : name + ": " + message;
  }

  private static void log(LogLevel level, String message) {
    try {
      CurrentHost.get().log(level, PREFIX + message);
    } catch (Throwable ignored) {
      // nowhere left to report to; never let logging trap the module
    }
  }
}

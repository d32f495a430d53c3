package io.rustless.sdk.internal.abi;

import io.rustless.sdk.api.PluginRuntime;
import io.rustless.sdk.internal.Dispatcher;
import org.teavm.backend.wasm.runtime.WasmSupport;
import org.teavm.interop.Export;

/**
 * The module's exports: one-line trampolines into the module's {@link Dispatcher}. The build keeps
 * this class reachable whatever the plugin's main class is.
 *
 * <p>Every callback starts from an empty arena, except when a host re-enters the module during a
 * callback (depth &gt; 0): then the outer call's memory is still live. The dispatcher never throws,
 * so the depth count needs no {@code finally} (which TeaVM would duplicate per export).
 */
public final class Exports {
  static int depth;
  private static Throwable startupFailure;

  /** The VM's dispatcher: the module is one VM, so it has one. */
  static Dispatcher dispatcher;

  private Exports() {}

  static void enter() {
    if (depth++ == 0) {
      Arena.reset();
    }
  }

  /**
   * Reactor-style start: installs the host and runs the plugin's {@code main}. TeaVM's own {@code
   * _start} reads WASI args as {@code String[argc - 1]}, which corrupts the heap when a proxy host
   * reports {@code argc = 0}; the build removes that export.
   */
  @Export(name = "_initialize")
  public static void initialize() {
    dispatcher = new Dispatcher(WasmHost.INSTANCE);
    dispatcher.activate();
    try {
      WasmSupport.runWithArgs(new String[0]);
    } catch (Throwable t) {
      // No context exists yet, so the host cannot take a log line; the first callback reports it.
      startupFailure = t;
    }
  }

  /**
   * ABI marker. Higress's host reads 0.2.100 as "0.2.1 plus Higress extensions" and, unlike 0.2.1,
   * passes a header callback's STOP_ITERATION through; the build renames it for plain Envoy.
   */
  @Export(name = "proxy_abi_version_0_2_100")
  public static void abiVersion() {}

  @Export(name = "proxy_on_memory_allocate")
  public static int onMemoryAllocate(int size) {
    return Arena.allocate(size);
  }

  @Export(name = "proxy_on_context_create")
  public static void onContextCreate(int contextId, int parentId) {
    enter();
    try {
      if (startupFailure != null && parentId == 0) {
        PluginRuntime.host()
            .log(
                io.rustless.sdk.host.LogLevel.CRITICAL,
                "[rustless] plugin main() failed: " + startupFailure);
      }
      dispatcher.onContextCreate(contextId, parentId);
    } catch (Throwable ignored) {
      // the dispatcher already catches; this only guards the report above
    }
    depth--;
  }

  @Export(name = "proxy_on_vm_start")
  public static int onVmStart(int rootId, int size) {
    return root(Dispatcher.VM_START, rootId, size, 0);
  }

  @Export(name = "proxy_on_configure")
  public static int onConfigure(int rootId, int size) {
    return root(Dispatcher.CONFIGURE, rootId, size, 0);
  }

  @Export(name = "proxy_on_tick")
  public static void onTick(int rootId) {
    root(Dispatcher.TICK, rootId, 0, 0);
  }

  @Export(name = "proxy_on_done")
  public static int onDone(int contextId) {
    return end(Dispatcher.DONE, contextId);
  }

  @Export(name = "proxy_on_log")
  public static void onLog(int contextId) {
    end(Dispatcher.LOG, contextId);
  }

  @Export(name = "proxy_on_delete")
  public static void onDelete(int contextId) {
    end(Dispatcher.DELETE, contextId);
  }

  @Export(name = "proxy_on_request_headers")
  public static int onRequestHeaders(int contextId, int numHeaders, int endOfStream) {
    return stream(Dispatcher.REQUEST_HEADERS, contextId, numHeaders, endOfStream);
  }

  @Export(name = "proxy_on_request_body")
  public static int onRequestBody(int contextId, int bodySize, int endOfStream) {
    return stream(Dispatcher.REQUEST_BODY, contextId, bodySize, endOfStream);
  }

  @Export(name = "proxy_on_request_trailers")
  public static int onRequestTrailers(int contextId, int numTrailers) {
    return stream(Dispatcher.REQUEST_TRAILERS, contextId, numTrailers, 1);
  }

  @Export(name = "proxy_on_response_headers")
  public static int onResponseHeaders(int contextId, int numHeaders, int endOfStream) {
    return stream(Dispatcher.RESPONSE_HEADERS, contextId, numHeaders, endOfStream);
  }

  @Export(name = "proxy_on_response_body")
  public static int onResponseBody(int contextId, int bodySize, int endOfStream) {
    return stream(Dispatcher.RESPONSE_BODY, contextId, bodySize, endOfStream);
  }

  @Export(name = "proxy_on_response_trailers")
  public static int onResponseTrailers(int contextId, int numTrailers) {
    return stream(Dispatcher.RESPONSE_TRAILERS, contextId, numTrailers, 1);
  }

  @Export(name = "proxy_on_queue_ready")
  public static void onQueueReady(int rootId, int queueId) {
    root(Dispatcher.QUEUE_READY, rootId, queueId, 0);
  }

  @Export(name = "proxy_on_foreign_function")
  public static void onForeignFunction(int rootId, int functionId, int dataSize) {
    root(Dispatcher.FOREIGN_FUNCTION, rootId, functionId, dataSize);
  }

  /** The end of a context (see {@link Dispatcher#end}). */
  private static int end(int event, int contextId) {
    enter();
    int result = dispatcher.end(event, contextId);
    depth--;
    return result;
  }

  /** A root-context event (see {@link Dispatcher#root}). */
  private static int root(int event, int rootId, int a, int b) {
    enter();
    int result = dispatcher.root(event, rootId, a, b);
    depth--;
    return result;
  }

  /** A stream event (see {@link Dispatcher#stream}). */
  private static int stream(int event, int contextId, int size, int endOfStream) {
    enter();
    int result = dispatcher.stream(event, contextId, size, endOfStream != 0);
    depth--;
    return result;
  }

  /** An answer to a call out (see {@link Dispatcher#callout}). */
  static void callout(int event, int contextId, int token, int a, int b, int c) {
    enter();
    dispatcher.callout(event, contextId, token, a, b, c);
    depth--;
  }

  /** Diagnostics: free bytes in the GC heap (the test kit watches it to see the GC at work). */
  @Export(name = "rustless_heap_free_bytes")
  public static int heapFreeBytes() {
    return (int) Runtime.getRuntime().freeMemory();
  }

  /** Diagnostics: bytes of linear memory the host-buffer arena holds. */
  @Export(name = "rustless_arena_bytes")
  public static int arenaBytes() {
    return Arena.committedBytes();
  }
}

package io.rustless.host.abi;

import io.rustless.sdk.host.Status;
import io.rustless.wasm.ProxyWasmAbi;
import io.rustless.wasm.WasmModuleBinary.FuncType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every host function a VM imports, as an engine binds it: module, name, Wasm signature and a call
 * into the typed method of {@link ProxyWasmFunctions} or {@link EnvoyWasi}. The signature comes
 * from the method's parameters (an {@code int} is an i32, a {@code long} an i64), so the table and
 * the methods cannot disagree; a test holds both to {@link ProxyWasmAbi}. The table is
 * engine-neutral: an engine makes one of its own host functions per binding.
 */
public final class HostFunctions {
  private HostFunctions() {}

  /** Runs a host function with the engine's raw arguments (i32s and i64s as longs). */
  @FunctionalInterface
  public interface Invoker {
    long invoke(GuestMemory memory, long[] args);
  }

  /**
   * One host function.
   *
   * @param badPointerIsStatus a bad pointer answers {@code INVALID_MEMORY_ACCESS} (proxy-wasm
   *     functions); otherwise {@link GuestMemory.BadPointer} traps the module (WASI)
   */
  public record Binding(
      String module, String name, FuncType type, Invoker invoker, boolean badPointerIsStatus) {

    /** Runs the function; its result, or 0 for a function without one. */
    public long call(GuestMemory memory, long[] args) {
      if (!badPointerIsStatus) {
        return invoker.invoke(memory, args);
      }
      try {
        return invoker.invoke(memory, args);
      } catch (GuestMemory.BadPointer e) {
        return Status.INVALID_MEMORY_ACCESS.code();
      }
    }

    public boolean hasResult() {
      return !type.results().isEmpty();
    }
  }

  /** The proxy-wasm host functions ({@code env}) over {@code f}. */
  public static List<Binding> env(ProxyWasmFunctions f) {
    Table t = new Table(ProxyWasmAbi.ENV, true);
    t.add("proxy_log", (F3) f::proxyLog);
    t.add("proxy_get_log_level", (F1) f::proxyGetLogLevel);
    t.add("proxy_get_current_time_nanoseconds", (F1) f::proxyGetCurrentTimeNanoseconds);
    t.add("proxy_set_tick_period_milliseconds", (F1) f::proxySetTickPeriodMilliseconds);
    t.add("proxy_get_buffer_bytes", (F5) f::proxyGetBufferBytes);
    t.add("proxy_set_buffer_bytes", (F5) f::proxySetBufferBytes);
    t.add("proxy_get_buffer_status", (F3) f::proxyGetBufferStatus);
    t.add("proxy_get_header_map_size", (F2) f::proxyGetHeaderMapSize);
    t.add("proxy_get_header_map_pairs", (F3) f::proxyGetHeaderMapPairs);
    t.add("proxy_set_header_map_pairs", (F3) f::proxySetHeaderMapPairs);
    t.add("proxy_get_header_map_value", (F5) f::proxyGetHeaderMapValue);
    t.add("proxy_add_header_map_value", (F5) f::proxyAddHeaderMapValue);
    t.add("proxy_replace_header_map_value", (F5) f::proxyReplaceHeaderMapValue);
    t.add("proxy_remove_header_map_value", (F3) f::proxyRemoveHeaderMapValue);
    t.add("proxy_get_property", (F4) f::proxyGetProperty);
    t.add("proxy_set_property", (F4) f::proxySetProperty);
    t.add("proxy_send_local_response", (F8) f::proxySendLocalResponse);
    t.add("proxy_continue_stream", (F1) f::proxyContinueStream);
    t.add("proxy_close_stream", (F1) f::proxyCloseStream);
    t.add("proxy_set_effective_context", (F1) f::proxySetEffectiveContext);
    t.add("proxy_done", (F0) f::proxyDone);
    t.add("proxy_http_call", (F10) f::proxyHttpCall);
    t.add("proxy_grpc_call", (F12) f::proxyGrpcCall);
    t.add("proxy_grpc_stream", (F9) f::proxyGrpcStream);
    t.add("proxy_grpc_send", (F4) f::proxyGrpcSend);
    t.add("proxy_grpc_cancel", (F1) f::proxyGrpcCancel);
    t.add("proxy_grpc_close", (F1) f::proxyGrpcClose);
    t.add("proxy_get_shared_data", (F5) f::proxyGetSharedData);
    t.add("proxy_set_shared_data", (F5) f::proxySetSharedData);
    t.add("proxy_register_shared_queue", (F3) f::proxyRegisterSharedQueue);
    t.add("proxy_resolve_shared_queue", (F5) f::proxyResolveSharedQueue);
    t.add("proxy_enqueue_shared_queue", (F3) f::proxyEnqueueSharedQueue);
    t.add("proxy_dequeue_shared_queue", (F3) f::proxyDequeueSharedQueue);
    t.add("proxy_define_metric", (F4) f::proxyDefineMetric);
    t.add("proxy_increment_metric", (FIL) f::proxyIncrementMetric);
    t.add("proxy_record_metric", (FIL) f::proxyRecordMetric);
    t.add("proxy_get_metric", (F2) f::proxyGetMetric);
    t.add("proxy_call_foreign_function", (F6) f::proxyCallForeignFunction);
    t.add("proxy_redis_init", (F7) f::proxyRedisInit);
    t.add("proxy_redis_call", (F5) f::proxyRedisCall);
    return t.bindings();
  }

  /** The WASI preview1 functions Envoy provides, over {@code w}. */
  public static List<Binding> wasi(EnvoyWasi w) {
    Table t = new Table(ProxyWasmAbi.WASI, false);
    t.add("fd_write", (F4) w::fdWrite);
    t.add("clock_time_get", (FILI) w::clockTimeGet);
    t.add("random_get", (F2) w::randomGet);
    t.add("proc_exit", (V1) w::procExit);
    t.add("environ_sizes_get", (F2) w::environSizesGet);
    t.add("environ_get", (F2) w::environGet);
    t.add("args_sizes_get", (F2) w::argsSizesGet);
    t.add("args_get", (F2) w::argsGet);
    return t.bindings();
  }

  private static final class Table {
    private final String module;
    private final boolean badPointerIsStatus;
    private final List<Binding> bindings = new ArrayList<>();

    Table(String module, boolean badPointerIsStatus) {
      this.module = module;
      this.badPointerIsStatus = badPointerIsStatus;
    }

    void add(String name, Typed f) {
      bindings.add(new Binding(module, name, f.type(), f, badPointerIsStatus));
    }

    List<Binding> bindings() {
      return Collections.unmodifiableList(bindings);
    }
  }

  // ---- the shapes of typed methods: (memory, i32...) -> i32, plus the few with an i64 ---------

  private interface Typed extends Invoker {
    FuncType type();
  }

  private static FuncType i32s(int n, boolean result) {
    return new FuncType(Collections.nCopies(n, "i32"), result ? List.of("i32") : List.of());
  }

  private static int i(long v) {
    return (int) v;
  }

  @FunctionalInterface
  interface F0 extends Typed {
    int call(GuestMemory m);

    default long invoke(GuestMemory m, long[] a) {
      return call(m);
    }

    default FuncType type() {
      return i32s(0, true);
    }
  }

  @FunctionalInterface
  interface F1 extends Typed {
    int call(GuestMemory m, int a);

    default long invoke(GuestMemory m, long[] a) {
      return call(m, i(a[0]));
    }

    default FuncType type() {
      return i32s(1, true);
    }
  }

  @FunctionalInterface
  interface F2 extends Typed {
    int call(GuestMemory m, int a, int b);

    default long invoke(GuestMemory m, long[] a) {
      return call(m, i(a[0]), i(a[1]));
    }

    default FuncType type() {
      return i32s(2, true);
    }
  }

  @FunctionalInterface
  interface F3 extends Typed {
    int call(GuestMemory m, int a, int b, int c);

    default long invoke(GuestMemory m, long[] a) {
      return call(m, i(a[0]), i(a[1]), i(a[2]));
    }

    default FuncType type() {
      return i32s(3, true);
    }
  }

  @FunctionalInterface
  interface F4 extends Typed {
    int call(GuestMemory m, int a, int b, int c, int d);

    default long invoke(GuestMemory m, long[] a) {
      return call(m, i(a[0]), i(a[1]), i(a[2]), i(a[3]));
    }

    default FuncType type() {
      return i32s(4, true);
    }
  }

  @FunctionalInterface
  interface F5 extends Typed {
    int call(GuestMemory m, int a, int b, int c, int d, int e);

    default long invoke(GuestMemory m, long[] a) {
      return call(m, i(a[0]), i(a[1]), i(a[2]), i(a[3]), i(a[4]));
    }

    default FuncType type() {
      return i32s(5, true);
    }
  }

  @FunctionalInterface
  interface F6 extends Typed {
    int call(GuestMemory m, int a, int b, int c, int d, int e, int f);

    default long invoke(GuestMemory m, long[] a) {
      return call(m, i(a[0]), i(a[1]), i(a[2]), i(a[3]), i(a[4]), i(a[5]));
    }

    default FuncType type() {
      return i32s(6, true);
    }
  }

  @FunctionalInterface
  interface F7 extends Typed {
    int call(GuestMemory m, int a, int b, int c, int d, int e, int f, int g);

    default long invoke(GuestMemory m, long[] a) {
      return call(m, i(a[0]), i(a[1]), i(a[2]), i(a[3]), i(a[4]), i(a[5]), i(a[6]));
    }

    default FuncType type() {
      return i32s(7, true);
    }
  }

  @FunctionalInterface
  interface F8 extends Typed {
    int call(GuestMemory m, int a, int b, int c, int d, int e, int f, int g, int h);

    default long invoke(GuestMemory m, long[] a) {
      return call(m, i(a[0]), i(a[1]), i(a[2]), i(a[3]), i(a[4]), i(a[5]), i(a[6]), i(a[7]));
    }

    default FuncType type() {
      return i32s(8, true);
    }
  }

  @FunctionalInterface
  interface F9 extends Typed {
    int call(GuestMemory m, int a, int b, int c, int d, int e, int f, int g, int h, int j);

    default long invoke(GuestMemory m, long[] a) {
      return call(
          m, i(a[0]), i(a[1]), i(a[2]), i(a[3]), i(a[4]), i(a[5]), i(a[6]), i(a[7]), i(a[8]));
    }

    default FuncType type() {
      return i32s(9, true);
    }
  }

  @FunctionalInterface
  interface F10 extends Typed {
    int call(GuestMemory m, int a, int b, int c, int d, int e, int f, int g, int h, int j, int k);

    default long invoke(GuestMemory m, long[] a) {
      return call(
          m, i(a[0]), i(a[1]), i(a[2]), i(a[3]), i(a[4]), i(a[5]), i(a[6]), i(a[7]), i(a[8]),
          i(a[9]));
    }

    default FuncType type() {
      return i32s(10, true);
    }
  }

  @FunctionalInterface
  interface F12 extends Typed {
    int call(
        GuestMemory m,
        int a,
        int b,
        int c,
        int d,
        int e,
        int f,
        int g,
        int h,
        int j,
        int k,
        int l,
        int n);

    default long invoke(GuestMemory m, long[] a) {
      return call(
          m, i(a[0]), i(a[1]), i(a[2]), i(a[3]), i(a[4]), i(a[5]), i(a[6]), i(a[7]), i(a[8]),
          i(a[9]), i(a[10]), i(a[11]));
    }

    default FuncType type() {
      return i32s(12, true);
    }
  }

  /** (i32, i64) -> i32: the metric functions. */
  @FunctionalInterface
  interface FIL extends Typed {
    int call(GuestMemory m, int a, long b);

    default long invoke(GuestMemory m, long[] a) {
      return call(m, i(a[0]), a[1]);
    }

    default FuncType type() {
      return new FuncType(List.of("i32", "i64"), List.of("i32"));
    }
  }

  /** (i32, i64, i32) -> i32: WASI's clock_time_get. */
  @FunctionalInterface
  interface FILI extends Typed {
    int call(GuestMemory m, int a, long b, int c);

    default long invoke(GuestMemory m, long[] a) {
      return call(m, i(a[0]), a[1], i(a[2]));
    }

    default FuncType type() {
      return new FuncType(List.of("i32", "i64", "i32"), List.of("i32"));
    }
  }

  /** (i32) -> (): WASI's proc_exit. */
  @FunctionalInterface
  interface V1 extends Typed {
    void call(GuestMemory m, int a);

    default long invoke(GuestMemory m, long[] a) {
      call(m, i(a[0]));
      return 0;
    }

    default FuncType type() {
      return i32s(1, false);
    }
  }
}

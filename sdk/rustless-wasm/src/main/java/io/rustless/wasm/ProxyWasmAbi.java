package io.rustless.wasm;

import io.rustless.wasm.WasmModuleBinary.FuncType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions a proxy-wasm host provides, with their Wasm signatures: proxy-wasm 0.2.1's {@code
 * env.proxy_*} plus Higress's Redis extension, and the WASI preview1 subset Envoy implements. The
 * build checks a module's imports against it; the host provides exactly these.
 */
public final class ProxyWasmAbi {
  /** The module name of the proxy-wasm host functions. */
  public static final String ENV = "env";

  /** The module name of WASI preview1. */
  public static final String WASI = "wasi_snapshot_preview1";

  private static final Map<String, FuncType> HOST_FUNCTIONS = new LinkedHashMap<>();
  private static final Map<String, FuncType> ENVOY_WASI = new LinkedHashMap<>();

  static {
    wasi("fd_write", "iiii", "i");
    wasi("clock_time_get", "iIi", "i");
    wasi("random_get", "ii", "i");
    wasi("proc_exit", "i", "");
    wasi("environ_get", "ii", "i");
    wasi("environ_sizes_get", "ii", "i");
    wasi("args_get", "ii", "i");
    wasi("args_sizes_get", "ii", "i");

    host("proxy_log", "iii");
    host("proxy_get_log_level", "i");
    host("proxy_get_current_time_nanoseconds", "i");
    host("proxy_set_tick_period_milliseconds", "i");
    host("proxy_get_buffer_bytes", "iiiii");
    host("proxy_set_buffer_bytes", "iiiii");
    host("proxy_get_buffer_status", "iii");
    host("proxy_get_header_map_size", "ii");
    host("proxy_get_header_map_pairs", "iii");
    host("proxy_set_header_map_pairs", "iii");
    host("proxy_get_header_map_value", "iiiii");
    host("proxy_add_header_map_value", "iiiii");
    host("proxy_replace_header_map_value", "iiiii");
    host("proxy_remove_header_map_value", "iii");
    host("proxy_get_property", "iiii");
    host("proxy_set_property", "iiii");
    host("proxy_send_local_response", "iiiiiiii");
    host("proxy_continue_stream", "i");
    host("proxy_close_stream", "i");
    host("proxy_set_effective_context", "i");
    host("proxy_done", "");
    host("proxy_http_call", "iiiiiiiiii");
    host("proxy_grpc_call", "iiiiiiiiiiii");
    host("proxy_grpc_stream", "iiiiiiiii");
    host("proxy_grpc_send", "iiii");
    host("proxy_grpc_cancel", "i");
    host("proxy_grpc_close", "i");
    host("proxy_get_shared_data", "iiiii");
    host("proxy_set_shared_data", "iiiii");
    host("proxy_register_shared_queue", "iii");
    host("proxy_resolve_shared_queue", "iiiii");
    host("proxy_enqueue_shared_queue", "iii");
    host("proxy_dequeue_shared_queue", "iii");
    host("proxy_define_metric", "iiii");
    host("proxy_increment_metric", "iI");
    host("proxy_record_metric", "iI");
    host("proxy_get_metric", "ii");
    host("proxy_call_foreign_function", "iiiiii");
    host("proxy_redis_init", "iiiiiii");
    host("proxy_redis_call", "iiiii");
  }

  private ProxyWasmAbi() {}

  /** {@code env}'s host functions by name, each returning an i32 status. */
  public static Map<String, FuncType> hostFunctions() {
    return Collections.unmodifiableMap(HOST_FUNCTIONS);
  }

  /** The WASI preview1 functions Envoy provides, by name. */
  public static Map<String, FuncType> envoyWasi() {
    return Collections.unmodifiableMap(ENVOY_WASI);
  }

  /** The signature of {@code module.name}, or null if no proxy provides it. */
  public static FuncType signature(String module, String name) {
    return ENV.equals(module)
        ? HOST_FUNCTIONS.get(name)
        : WASI.equals(module) ? ENVOY_WASI.get(name) : null;
  }

  private static void wasi(String name, String params, String results) {
    ENVOY_WASI.put(name, type(params, results));
  }

  private static void host(String name, String params) {
    HOST_FUNCTIONS.put(name, type(params, "i"));
  }

  private static FuncType type(String params, String results) {
    return new FuncType(types(params), types(results));
  }

  /** {@code i} is i32, {@code I} is i64. */
  private static List<String> types(String codes) {
    List<String> out = new ArrayList<>();
    for (char c : codes.toCharArray()) {
      out.add(c == 'I' ? "i64" : "i32");
    }
    return out;
  }
}

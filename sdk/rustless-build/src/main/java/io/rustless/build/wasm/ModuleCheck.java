package io.rustless.build.wasm;

import io.rustless.build.wasm.WasmModuleBinary.Export;
import io.rustless.build.wasm.WasmModuleBinary.FuncType;
import io.rustless.build.wasm.WasmModuleBinary.Import;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a module will load in Envoy/Higress: it imports only {@code env.proxy_*} host
 * functions (with the ABI's signatures where the ABI is known) and the WASI functions Envoy
 * implements, and it exports what a proxy-wasm host needs. A module that imports anything else
 * fails to link in the gateway, at deployment, on every worker; this check moves that failure to
 * the build.
 */
public final class ModuleCheck {
  /** The WASI preview1 functions Envoy's proxy-wasm host provides, with their signatures. */
  static final Map<String, FuncType> ENVOY_WASI = new LinkedHashMap<>();

  /** proxy-wasm 0.2.1 host functions plus Higress's Redis extension. */
  static final Map<String, FuncType> PROXY_HOST_FUNCTIONS = new LinkedHashMap<>();

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

  private static void wasi(String name, String params, String results) {
    ENVOY_WASI.put(name, type(params, results));
  }

  private static void host(String name, String params) {
    PROXY_HOST_FUNCTIONS.put(name, type(params, "i"));
  }

  private static FuncType type(String params, String results) {
    return new FuncType(types(params), types(results));
  }

  private static List<String> types(String codes) {
    List<String> out = new ArrayList<>();
    for (char c : codes.toCharArray()) {
      out.add(c == 'I' ? "i64" : "i32");
    }
    return out;
  }

  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private ModuleCheck() {}

  /** Checks {@code module}. */
  public static ModuleCheck of(WasmModuleBinary module) {
    ModuleCheck c = new ModuleCheck();
    c.checkImports(module.imports());
    c.checkExports(module.exports());
    if (module.find(WasmModuleBinary.SECTION_TAG) != null) {
      c.warnings.add(
          "uses Wasm exception handling (built with exceptions=wasm): V8, the runtime of the Envoy,"
              + " Istio and Higress builds, loads it; Envoy builds on wasmtime or WAMR may not");
    }
    return c;
  }

  /** Problems that make the module unloadable or unusable in a proxy. */
  public List<String> errors() {
    return Collections.unmodifiableList(errors);
  }

  /** Things worth a look that do not stop the module from loading everywhere. */
  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }

  public boolean ok() {
    return errors.isEmpty();
  }

  private void checkImports(List<Import> imports) {
    for (Import i : imports) {
      if (i.kind() != Import.FUNCTION) {
        errors.add("imports " + i + " (kind " + i.kind() + "): proxies only provide functions");
        continue;
      }
      if (i.module().equals("env") && i.name().startsWith("proxy_")) {
        FuncType expected = PROXY_HOST_FUNCTIONS.get(i.name());
        if (expected == null) {
          warnings.add("imports " + i + ", which is not part of proxy-wasm 0.2.1 or Higress");
        } else if (!expected.equals(i.type())) {
          errors.add("imports " + i + " as " + i.type() + " but the ABI has " + expected);
        }
      } else if (i.module().equals("wasi_snapshot_preview1")) {
        FuncType expected = ENVOY_WASI.get(i.name());
        if (expected == null) {
          errors.add(
              "imports "
                  + i
                  + ", which Envoy does not implement (it has "
                  + String.join(", ", ENVOY_WASI.keySet())
                  + ")");
        } else if (!expected.equals(i.type())) {
          errors.add("imports " + i + " as " + i.type() + " but WASI has " + expected);
        }
      } else {
        errors.add("imports " + i + ", which no proxy provides (only env.proxy_* and WASI)");
      }
    }
  }

  private void checkExports(List<Export> exports) {
    Map<String, Export> byName = new LinkedHashMap<>();
    for (Export e : exports) {
      byName.put(e.name(), e);
    }
    if (!byName.containsKey("memory")) {
      errors.add("does not export its memory");
    }
    if (!byName.containsKey("proxy_on_memory_allocate") && !byName.containsKey("malloc")) {
      errors.add("exports neither proxy_on_memory_allocate nor malloc");
    }
    int markers = 0;
    for (AbiVersion v : AbiVersion.values()) {
      if (byName.containsKey(v.marker())) {
        markers++;
      }
    }
    for (String name : byName.keySet()) {
      if (name.startsWith("proxy_abi_version_")) {
        boolean known = false;
        for (AbiVersion v : AbiVersion.values()) {
          known |= v.marker().equals(name);
        }
        if (!known) {
          markers++;
          warnings.add("declares " + name + ", which Rustless does not target");
        }
      }
    }
    if (markers == 0) {
      errors.add("declares no proxy-wasm ABI version (proxy_abi_version_* export)");
    } else if (markers > 1) {
      errors.add("declares more than one proxy-wasm ABI version");
    }
    if (!byName.containsKey("_initialize") && !byName.containsKey("_start")) {
      warnings.add("exports neither _initialize nor _start: no start-up code will run");
    }
  }
}

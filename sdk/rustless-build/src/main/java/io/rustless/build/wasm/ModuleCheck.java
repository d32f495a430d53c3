package io.rustless.build.wasm;

import io.rustless.wasm.ProxyWasmAbi;
import io.rustless.wasm.WasmModuleBinary;
import io.rustless.wasm.WasmModuleBinary.Export;
import io.rustless.wasm.WasmModuleBinary.FuncType;
import io.rustless.wasm.WasmModuleBinary.Import;
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
        FuncType expected = ProxyWasmAbi.hostFunctions().get(i.name());
        if (expected == null) {
          warnings.add("imports " + i + ", which is not part of proxy-wasm 0.2.1 or Higress");
        } else if (!expected.equals(i.type())) {
          errors.add("imports " + i + " as " + i.type() + " but the ABI has " + expected);
        }
      } else if (i.module().equals("wasi_snapshot_preview1")) {
        FuncType expected = ProxyWasmAbi.envoyWasi().get(i.name());
        if (expected == null) {
          errors.add(
              "imports "
                  + i
                  + ", which Envoy does not implement (it has "
                  + String.join(", ", ProxyWasmAbi.envoyWasi().keySet())
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

package io.rustless.v8.host;

import io.rustless.host.engine.PluginInstance;
import io.rustless.host.engine.PluginModule;
import io.rustless.host.state.VmState;
import io.rustless.v8.FunctionType;
import io.rustless.v8.V8Engine;
import io.rustless.v8.V8Module;
import io.rustless.v8.ValType;
import io.rustless.v8.WasmException;
import io.rustless.wasm.WasmFormatException;
import io.rustless.wasm.WasmModuleBinary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A proxy-wasm module in V8, the engine Envoy and Higress run plugins in, as a {@link PluginModule}
 * of Rustless's host: the very bytes the build wrote (Wasm exception handling runs natively,
 * nothing is translated), with the host's own typed host functions ({@link
 * io.rustless.host.abi.HostFunctions}) bound as V8 imports over a {@link
 * io.rustless.host.abi.GuestMemory} on V8's memory.
 *
 * <p>One V8 isolate serves the JVM ({@link V8Engine#shared()}); a module is compiled once per
 * distinct content and instantiated per VM. The isolate runs one thread at a time, so VMs on V8
 * take turns across threads (a VM runs one callback at a time anyway).
 */
public final class V8PluginModule implements PluginModule {
  private static final Map<String, V8PluginModule> CACHE = new ConcurrentHashMap<>();

  private final V8Module module;
  private final Map<String, FunctionType> exportTypes;
  private final String origin;

  private V8PluginModule(V8Module module, Map<String, FunctionType> exportTypes, String origin) {
    this.module = module;
    this.exportTypes = exportTypes;
    this.origin = origin;
  }

  /** The module at {@code path}, compiled once per distinct content. */
  public static V8PluginModule load(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    return of(bytes, path.toString());
  }

  /**
   * The module {@code bytes}, compiled once per distinct content; {@code origin} names it in
   * messages.
   *
   * @throws IllegalArgumentException if V8 cannot compile the bytes, or they are not a proxy-wasm
   *     module
   */
  public static V8PluginModule of(byte[] bytes, String origin) {
    V8Module compiled;
    try {
      compiled = V8Engine.shared().compile(bytes);
    } catch (WasmException e) {
      throw new IllegalArgumentException(
          origin + " is not a module this host can load: " + e.getMessage(), e);
    }
    return CACHE.computeIfAbsent(compiled.digest(), d -> inspect(compiled, bytes, origin));
  }

  private static V8PluginModule inspect(V8Module compiled, byte[] bytes, String origin) {
    WasmModuleBinary binary;
    try {
      binary = WasmModuleBinary.parse(bytes);
    } catch (WasmFormatException e) {
      throw new IllegalArgumentException(origin + " is not a module this host can load: " + e, e);
    }
    Map<String, FunctionType> types = new HashMap<>();
    boolean abi = false;
    for (WasmModuleBinary.Export e : binary.exports()) {
      abi |= e.name().startsWith("proxy_abi_version_");
      if (e.kind() == 0) {
        WasmModuleBinary.FuncType t = binary.functionType(e.index());
        if (t != null) {
          types.put(e.name(), type(t));
        }
      }
    }
    if (!abi) {
      // Envoy refuses these too: a module without the marker is not a proxy-wasm plugin
      throw new IllegalArgumentException(
          origin
              + " declares no proxy-wasm ABI version (no proxy_abi_version_* export): not a"
              + " proxy-wasm module");
    }
    return new V8PluginModule(compiled, Map.copyOf(types), origin);
  }

  static FunctionType type(WasmModuleBinary.FuncType t) {
    return new FunctionType(valTypes(t.params()), valTypes(t.results()));
  }

  private static List<ValType> valTypes(List<String> names) {
    List<ValType> out = new ArrayList<>(names.size());
    for (String n : names) {
      out.add(
          switch (n) {
            case "i32" -> ValType.I32;
            case "i64" -> ValType.I64;
            case "f32" -> ValType.F32;
            case "f64" -> ValType.F64;
            default -> throw new IllegalArgumentException("an export with a " + n + " value");
          });
    }
    return out;
  }

  @Override
  public PluginInstance instantiate(VmState state) {
    return new V8PluginInstance(this, state);
  }

  @Override
  public String describe() {
    return origin + " (" + module.size() + " bytes)";
  }

  V8Module module() {
    return module;
  }

  /** The type of exported function {@code name}, or null if the module exports none so named. */
  FunctionType exportType(String name) {
    return exportTypes.get(name);
  }

  /** The module's SHA-256, hex. */
  public String digest() {
    return module.digest();
  }

  public int size() {
    return module.size();
  }
}

package io.rustless.v8.host;

import io.rustless.host.PluginTrapException;
import io.rustless.host.abi.EnvoyWasi;
import io.rustless.host.abi.GuestMemory;
import io.rustless.host.abi.HostFunctions;
import io.rustless.host.abi.ProxyWasmFunctions;
import io.rustless.host.engine.Export;
import io.rustless.host.engine.PluginInstance;
import io.rustless.host.state.VmState;
import io.rustless.v8.FunctionType;
import io.rustless.v8.HostImport;
import io.rustless.v8.V8Instance;
import io.rustless.v8.WasmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A module instantiated in V8 with Rustless's proxy-wasm host functions ({@code env} + Envoy's WASI
 * subset), the same typed methods the Chicory engine binds. Start-up follows Envoy: the start
 * section runs at instantiation, then {@code _initialize} (or {@code _start} if there is none). A
 * trap in any callback becomes a {@link PluginTrapException} naming the callback.
 */
final class V8PluginInstance implements PluginInstance {
  private static final FunctionType NO_ARGS_I32 = FunctionType.i32(0);

  private final V8PluginModule module;
  private final V8Instance instance;
  private final Map<Export, V8Instance.Export> exports = new EnumMap<>(Export.class);
  private V8Memory memory;

  /** Rustless modules report their free GC heap; looked up once. */
  private Optional<V8Instance.Export> heapFree;

  V8PluginInstance(V8PluginModule module, VmState state) {
    this.module = module;
    List<HostFunctions.Binding> bindings = new ArrayList<>();
    bindings.addAll(HostFunctions.env(new ProxyWasmFunctions(state)));
    bindings.addAll(HostFunctions.wasi(new EnvoyWasi(state)));
    requireProvided(bindings);
    List<HostImport> imports = new ArrayList<>(bindings.size());
    for (HostFunctions.Binding b : bindings) {
      imports.add(
          new HostImport(
              b.module(),
              b.name(),
              V8PluginModule.type(b.type()),
              (inst, args) -> b.call(memory(inst), args)));
    }
    try {
      this.instance = module.module().instantiate(imports);
    } catch (WasmException | EnvoyWasi.ProcExit | GuestMemory.BadPointer e) {
      throw new PluginTrapException("the module trapped while instantiating: " + e.getMessage(), e);
    }
    try {
      for (Export e : Export.values()) {
        lookup(e.abiName()).ifPresent(f -> exports.put(e, f));
      }
      String start = lookup("_initialize").isPresent() ? "_initialize" : "_start";
      Optional<V8Instance.Export> init = lookup(start);
      if (init.isPresent()) {
        run(start, init.get());
      }
    } catch (RuntimeException | Error e) {
      instance.close();
      throw e;
    }
  }

  private GuestMemory memory(V8Instance inst) {
    V8Memory m = memory;
    if (m == null) {
      m = new V8Memory(inst);
      memory = m;
    }
    return m;
  }

  private void requireProvided(List<HostFunctions.Binding> all) {
    Set<String> provided = new HashSet<>();
    for (HostFunctions.Binding b : all) {
      provided.add(b.module() + "." + b.name());
    }
    List<String> missing = new ArrayList<>();
    for (String imported : module.module().importedFunctions()) {
      if (!provided.contains(imported)) {
        missing.add(imported);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          module.describe()
              + " imports "
              + String.join(", ", missing)
              + ", which the Rustless host does not provide");
    }
  }

  private Optional<V8Instance.Export> lookup(String name) {
    FunctionType type = module.exportType(name);
    return type == null ? Optional.empty() : instance.export(name, type);
  }

  @Override
  public int call(Export export, int... args) {
    V8Instance.Export f = exports.get(export);
    if (f == null) {
      return export.absentResult();
    }
    return (int) run(export.abiName(), f, args);
  }

  private static long run(String name, V8Instance.Export f, int... args) {
    try {
      return f.callI32(args);
    } catch (WasmException e) {
      if (e.getMessage().contains("Maximum call stack size exceeded")) {
        throw new PluginTrapException("the module overflowed the stack in " + name, e);
      }
      throw new PluginTrapException("the module trapped in " + name + ": " + e.getMessage(), e);
    } catch (EnvoyWasi.ProcExit | GuestMemory.BadPointer e) {
      throw new PluginTrapException("the module trapped in " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long memoryBytes() {
    return instance.memoryBytes();
  }

  @Override
  public long heapFreeBytes() {
    if (heapFree == null) {
      FunctionType t = module.exportType("rustless_heap_free_bytes");
      heapFree =
          NO_ARGS_I32.equals(t) ? instance.export("rustless_heap_free_bytes", t) : Optional.empty();
    }
    return heapFree.isEmpty() ? -1 : run("rustless_heap_free_bytes", heapFree.get()) & 0xFFFFFFFFL;
  }

  @Override
  public void close() {
    instance.close();
  }
}

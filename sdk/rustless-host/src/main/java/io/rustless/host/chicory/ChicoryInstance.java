package io.rustless.host.chicory;

import com.dylibso.chicory.runtime.ExecutionListener;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.ValType;
import io.rustless.host.PluginTrapException;
import io.rustless.host.abi.EnvoyWasi;
import io.rustless.host.abi.GuestMemory;
import io.rustless.host.abi.HostFunctions;
import io.rustless.host.abi.ProxyWasmFunctions;
import io.rustless.host.engine.Export;
import io.rustless.host.engine.PluginInstance;
import io.rustless.host.state.VmState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A module instantiated in Chicory with Rustless's proxy-wasm host functions ({@code env} + Envoy's
 * WASI subset). Start-up follows Envoy: the start section runs at instantiation, then {@code
 * _initialize} (or {@code _start} if there is none). A trap in any callback becomes a {@link
 * PluginTrapException} naming the callback.
 */
final class ChicoryInstance implements PluginInstance {
  private final Instance instance;
  private final Map<Export, ExportFunction> exports = new EnumMap<>(Export.class);
  private ChicoryMemory memory;

  /** Rustless modules report their free GC heap; looked up once. */
  private java.util.Optional<ExportFunction> heapFree;

  ChicoryInstance(ChicoryModule compiled, VmState state, ExecutionListener listener) {
    List<HostFunctions.Binding> bindings = new ArrayList<>();
    bindings.addAll(HostFunctions.env(new ProxyWasmFunctions(state)));
    bindings.addAll(HostFunctions.wasi(new EnvoyWasi(state)));
    requireProvided(compiled, bindings);
    HostFunction[] functions = new HostFunction[bindings.size()];
    for (int i = 0; i < functions.length; i++) {
      functions[i] = bind(bindings.get(i));
    }
    Instance.Builder builder =
        Instance.builder(compiled.module())
            // one byte[] read through VarHandles: TeaVM code is loads and stores of its shadow
            // stack and heap, and Chicory's memories cost more per access (see FlatMemory)
            .withMemoryFactory(FlatMemory::create)
            .withImportValues(ImportValues.builder().addFunction(functions).build());
    if (compiled.machineFactory() != null) {
      builder = builder.withMachineFactory(compiled.machineFactory());
    }
    if (listener != null) {
      builder = builder.withUnsafeExecutionListener(listener);
    }
    try {
      this.instance = builder.build();
    } catch (ChicoryException | EnvoyWasi.ProcExit e) {
      throw new PluginTrapException("the module trapped while instantiating: " + e.getMessage(), e);
    }
    for (Export e : Export.values()) {
      ExportFunction f = lookup(e.abiName());
      if (f != null) {
        exports.put(e, f);
      }
    }
    String start = lookup("_initialize") != null ? "_initialize" : "_start";
    ExportFunction init = lookup(start);
    if (init != null) {
      run(start, init);
    }
  }

  private HostFunction bind(HostFunctions.Binding b) {
    boolean result = b.hasResult();
    return new HostFunction(
        b.module(),
        b.name(),
        FunctionType.of(types(b.type().params()), types(b.type().results())),
        (inst, args) -> {
          long r = b.call(memory(inst), args);
          return result ? new long[] {r} : null;
        });
  }

  private GuestMemory memory(Instance inst) {
    ChicoryMemory m = memory;
    if (m == null) {
      m = new ChicoryMemory(inst);
      memory = m;
    }
    return m;
  }

  private static List<ValType> types(List<String> names) {
    List<ValType> out = new ArrayList<>();
    for (String n : names) {
      out.add(n.equals("i64") ? ValType.I64 : ValType.I32);
    }
    return out;
  }

  private static void requireProvided(ChicoryModule compiled, List<HostFunctions.Binding> all) {
    Set<String> provided = new HashSet<>();
    for (HostFunctions.Binding b : all) {
      provided.add(b.module() + "." + b.name());
    }
    ImportSection section = compiled.module().importSection();
    List<String> missing = new ArrayList<>();
    for (int k = 0; k < section.importCount(); k++) {
      Import imp = section.getImport(k);
      if (!provided.contains(imp.module() + "." + imp.name())) {
        missing.add(imp.module() + "." + imp.name());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          compiled.describe()
              + " imports "
              + String.join(", ", missing)
              + ", which the Rustless host does not provide");
    }
  }

  private ExportFunction lookup(String name) {
    try {
      return instance.export(name);
    } catch (ChicoryException e) {
      return null;
    }
  }

  @Override
  public int call(Export export, int... args) {
    ExportFunction f = exports.get(export);
    if (f == null) {
      return export.absentResult();
    }
    long[] wide = new long[args.length];
    for (int i = 0; i < args.length; i++) {
      wide[i] = args[i];
    }
    long[] r = run(export.abiName(), f, wide);
    return r == null || r.length == 0 ? 0 : (int) r[0];
  }

  private static long[] run(String name, ExportFunction f, long... args) {
    try {
      return f.apply(args);
    } catch (ChicoryException | EnvoyWasi.ProcExit | GuestMemory.BadPointer e) {
      throw new PluginTrapException("the module trapped in " + name + ": " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw new PluginTrapException("the module overflowed the stack in " + name, e);
    }
  }

  @Override
  public long memoryBytes() {
    return (long) instance.memory().pages() * Memory.PAGE_SIZE;
  }

  @Override
  public long heapFreeBytes() {
    if (heapFree == null) {
      heapFree = java.util.Optional.ofNullable(lookup("rustless_heap_free_bytes"));
    }
    return heapFree.isEmpty()
        ? -1
        : run("rustless_heap_free_bytes", heapFree.get())[0] & 0xFFFFFFFFL;
  }
}

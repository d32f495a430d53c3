package io.rustless.testing.wasm;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ImportSection;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.LogEntry;
import io.rustless.testing.PluginTrapException;
import io.rustless.testing.emulator.PluginVm;
import io.rustless.testing.emulator.ProxyState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Wasm mode: the built module instantiated in Chicory with Rustless's proxy-wasm host ({@code env}
 * + Envoy's WASI subset). Start-up follows Envoy: the start section runs at instantiation, then
 * {@code _initialize} (or {@code _start} if there is none). A trap in any callback becomes a {@link
 * PluginTrapException} naming the callback.
 */
public final class WasmVm implements PluginVm {
  private static final String UNCAUGHT = "[rustless] uncaught exception in ";

  private final ProxyState state;
  private final Instance instance;
  private final Map<String, ExportFunction> exports = new HashMap<>();

  public WasmVm(CompiledModule compiled, ProxyState state) {
    this.state = state;
    Map<Instance, GuestMemory> memories = new HashMap<>();
    ProxyWasmImports env = new ProxyWasmImports(state, memories);
    EnvoyWasi wasi = new EnvoyWasi(state, memories);
    requireProvided(compiled, env, wasi);
    ImportValues imports =
        ImportValues.builder()
            .addFunction(env.functions().toArray(new com.dylibso.chicory.runtime.HostFunction[0]))
            .addFunction(wasi.functions().toArray(new com.dylibso.chicory.runtime.HostFunction[0]))
            .build();
    Instance.Builder builder = Instance.builder(compiled.module()).withImportValues(imports);
    if (compiled.machineFactory() != null) {
      builder = builder.withMachineFactory(compiled.machineFactory());
    }
    try {
      this.instance = builder.build();
    } catch (ChicoryException | EnvoyWasi.ProcExit e) {
      throw new PluginTrapException("the module trapped while instantiating: " + e.getMessage(), e);
    }
    if (has("_initialize")) {
      call("_initialize");
    } else if (has("_start")) {
      call("_start");
    }
  }

  private static void requireProvided(
      CompiledModule compiled, ProxyWasmImports env, EnvoyWasi wasi) {
    ImportSection section = compiled.module().importSection();
    List<String> missing = new ArrayList<>();
    for (int k = 0; k < section.importCount(); k++) {
      Import imp = section.getImport(k);
      boolean provided =
          (imp.module().equals("env") && env.provides(imp.name()))
              || (imp.module().equals("wasi_snapshot_preview1") && wasi.provides(imp.name()));
      if (!provided) {
        missing.add(imp.module() + "." + imp.name());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "plugin.wasm imports "
              + String.join(", ", missing)
              + ", which the Rustless test host does not provide");
    }
  }

  private boolean has(String name) {
    return exports.computeIfAbsent(name, this::lookup) != null;
  }

  private ExportFunction lookup(String name) {
    try {
      return instance.export(name);
    } catch (ChicoryException e) {
      return null;
    }
  }

  private long call(String name, long... args) {
    ExportFunction f = exports.computeIfAbsent(name, this::lookup);
    if (f == null) {
      return 0;
    }
    try {
      long[] r = f.apply(args);
      return r == null || r.length == 0 ? 0 : r[0];
    } catch (ChicoryException | EnvoyWasi.ProcExit | GuestMemory.BadPointer e) {
      throw new PluginTrapException("the module trapped in " + name + ": " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw new PluginTrapException("the module overflowed the stack in " + name, e);
    }
  }

  private int callInt(String name, long... args) {
    return (int) call(name, args);
  }

  @Override
  public void onContextCreate(int contextId, int parentId) {
    call("proxy_on_context_create", contextId, parentId);
  }

  @Override
  public int onVmStart(int rootId, int vmConfigurationSize) {
    return callInt("proxy_on_vm_start", rootId, vmConfigurationSize);
  }

  @Override
  public int onConfigure(int rootId, int pluginConfigurationSize) {
    return callInt("proxy_on_configure", rootId, pluginConfigurationSize);
  }

  @Override
  public void onTick(int rootId) {
    call("proxy_on_tick", rootId);
  }

  @Override
  public int onRequestHeaders(int contextId, int numHeaders, boolean endOfStream) {
    return callInt("proxy_on_request_headers", contextId, numHeaders, endOfStream ? 1 : 0);
  }

  @Override
  public int onRequestBody(int contextId, int bodySize, boolean endOfStream) {
    return callInt("proxy_on_request_body", contextId, bodySize, endOfStream ? 1 : 0);
  }

  @Override
  public int onRequestTrailers(int contextId, int numTrailers) {
    return callInt("proxy_on_request_trailers", contextId, numTrailers);
  }

  @Override
  public int onResponseHeaders(int contextId, int numHeaders, boolean endOfStream) {
    return callInt("proxy_on_response_headers", contextId, numHeaders, endOfStream ? 1 : 0);
  }

  @Override
  public int onResponseBody(int contextId, int bodySize, boolean endOfStream) {
    return callInt("proxy_on_response_body", contextId, bodySize, endOfStream ? 1 : 0);
  }

  @Override
  public int onResponseTrailers(int contextId, int numTrailers) {
    return callInt("proxy_on_response_trailers", contextId, numTrailers);
  }

  @Override
  public void onQueueReady(int rootId, int queueId) {
    call("proxy_on_queue_ready", rootId, queueId);
  }

  @Override
  public void onForeignFunction(int rootId, int functionId, int dataSize) {
    call("proxy_on_foreign_function", rootId, functionId, dataSize);
  }

  @Override
  public void onHttpCallResponse(
      int contextId, int token, int numHeaders, int bodySize, int numTrailers) {
    call("proxy_on_http_call_response", contextId, token, numHeaders, bodySize, numTrailers);
  }

  @Override
  public void onGrpcReceiveInitialMetadata(int contextId, int token, int numHeaders) {
    call("proxy_on_grpc_receive_initial_metadata", contextId, token, numHeaders);
  }

  @Override
  public void onGrpcReceive(int contextId, int token, int messageSize) {
    call("proxy_on_grpc_receive", contextId, token, messageSize);
  }

  @Override
  public void onGrpcReceiveTrailingMetadata(int contextId, int token, int numTrailers) {
    call("proxy_on_grpc_receive_trailing_metadata", contextId, token, numTrailers);
  }

  @Override
  public void onGrpcClose(int contextId, int token, int statusCode) {
    call("proxy_on_grpc_close", contextId, token, statusCode);
  }

  @Override
  public void onRedisCallResponse(int contextId, int token, int status, int responseSize) {
    call("proxy_on_redis_call_response", contextId, token, status, responseSize);
  }

  @Override
  public int onDone(int contextId) {
    return has("proxy_on_done") ? callInt("proxy_on_done", contextId) : 1;
  }

  @Override
  public void onLog(int contextId) {
    call("proxy_on_log", contextId);
  }

  @Override
  public void onDelete(int contextId) {
    call("proxy_on_delete", contextId);
  }

  @Override
  public List<String> pluginErrors() {
    List<String> out = new ArrayList<>();
    for (LogEntry e : state.logs()) {
      if (e.level() == LogLevel.CRITICAL && e.message().startsWith(UNCAUGHT)) {
        out.add(e.message().substring(UNCAUGHT.length()));
      }
    }
    return out;
  }

  /** Linear memory size in bytes. */
  public long memoryBytes() {
    return (long) instance.memory().pages() * com.dylibso.chicory.runtime.Memory.PAGE_SIZE;
  }

  /** Free bytes in the module's GC heap, if the module reports it (Rustless modules do). */
  public long heapFreeBytes() {
    return has("rustless_heap_free_bytes") ? call("rustless_heap_free_bytes") & 0xFFFFFFFFL : -1;
  }

  /** The raw Chicory instance, for tests that need to look deeper. */
  public Instance instance() {
    return instance;
  }

  @Override
  public void close() {
    // Chicory instances hold no native resources; dropping the reference frees everything.
  }
}

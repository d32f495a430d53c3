package io.rustless.testing.wasm;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import io.rustless.sdk.host.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds host functions from a compact signature ("iiI" → i32, i32, i64). */
final class HostModules {
  interface Body {
    /** Runs the function with its memory view; returns the status (or the result). */
    long call(GuestMemory memory, long[] args);
  }

  private final String module;
  private final Map<String, HostFunction> functions = new LinkedHashMap<>();
  private final Map<Instance, GuestMemory> memories;

  HostModules(String module, Map<Instance, GuestMemory> memories) {
    this.module = module;
    this.memories = memories;
  }

  /** A function returning an i32 status; a bad pointer becomes INVALID_MEMORY_ACCESS. */
  HostModules status(String name, String params, Body body) {
    return add(name, params, "i", body, true);
  }

  /** A function with explicit results ({@code ""} for none). */
  HostModules raw(String name, String params, String results, Body body) {
    return add(name, params, results, body, false);
  }

  private HostModules add(
      String name, String params, String results, Body body, boolean mapBadPointer) {
    FunctionType type = FunctionType.of(types(params), types(results));
    boolean returns = !results.isEmpty();
    functions.put(
        name,
        new HostFunction(
            module,
            name,
            type,
            (instance, args) -> {
              GuestMemory memory = memories.computeIfAbsent(instance, GuestMemory::new);
              long r;
              try {
                r = body.call(memory, args);
              } catch (GuestMemory.BadPointer e) {
                if (!mapBadPointer) {
                  throw e;
                }
                r = Status.INVALID_MEMORY_ACCESS.code();
              }
              return returns ? new long[] {r} : null;
            }));
    return this;
  }

  List<HostFunction> functions() {
    return new ArrayList<>(functions.values());
  }

  boolean provides(String name) {
    return functions.containsKey(name);
  }

  private static List<ValType> types(String codes) {
    List<ValType> out = new ArrayList<>();
    for (char c : codes.toCharArray()) {
      out.add(c == 'I' ? ValType.I64 : ValType.I32);
    }
    return out;
  }
}

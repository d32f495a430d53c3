// The JavaScript half of io.rustless.v8.V8Engine: modules, instances and the calls between Java
// and Wasm. Values cross through a shared "register" buffer instead of as call arguments: a call
// with no arguments is the cheapest crossing Javet has (no V8Value objects on either side).
//
// Registers: 8-byte slots. Slots 0..47 hold arguments, and slot 0 the result. Slot 56 (f64) the
// instance's memory size in bytes after every crossing, slot 57 the status (i32), slots 58/59 the
// instance and the export or import binding (i32).
(function (H, R) {
  "use strict";
  const I32 = new Int32Array(R);
  const I64 = new BigInt64Array(R);
  const F32 = new Float32Array(R);
  const F64 = new Float64Array(R);
  const MEMORY = 56;
  const STATUS = 57 * 2;
  const INSTANCE = 58 * 2;
  const KEY = 59 * 2;
  // thrown through the module when a Java host function failed; Java holds the exception
  const HOST_ERROR = { hostError: true };
  const modules = [];
  const instances = [];
  let lastError = null;

  function slot(type, k) {
    switch (type) {
      case "i": return "I32[" + 2 * k + "]";
      case "I": return "I64[" + k + "]";
      case "f": return "F32[" + 2 * k + "]";
      case "F": return "F64[" + k + "]";
    }
    throw new Error("bad type " + type);
  }

  // one maker per signature: specialised code, no loops or arguments objects per call
  const importMakers = new Map();
  function importStub(params, result, key, inst) {
    const sig = params + ">" + result;
    let make = importMakers.get(sig);
    if (make === undefined) {
      const names = [];
      let body = "";
      for (let k = 0; k < params.length; k++) {
        names.push("a" + k);
        body += slot(params[k], k) + " = a" + k + ";";
      }
      body += "I32[" + KEY + "] = key; F64[" + MEMORY + "] = inst.memory === null ? 0 :"
          + " inst.memory.buffer.byteLength; H();"
          + "if (I32[" + STATUS + "] !== 0) throw HOST_ERROR;"
          + (result === "" ? "" : "return " + slot(result, 0) + ";");
      make = new Function("I32", "I64", "F32", "F64", "H", "HOST_ERROR", "key", "inst",
          "return function (" + names.join(",") + ") {" + body + "};");
      importMakers.set(sig, make);
    }
    return make(I32, I64, F32, F64, H, HOST_ERROR, key, inst);
  }

  const exportMakers = new Map();
  function exportCaller(params, result, f) {
    const sig = params + ">" + result;
    let make = exportMakers.get(sig);
    if (make === undefined) {
      const args = [];
      for (let k = 0; k < params.length; k++) {
        args.push(slot(params[k], k));
      }
      const call = "f(" + args.join(",") + ")";
      make = new Function("I32", "I64", "F32", "F64", "f",
          "return function () {" + (result === "" ? call : slot(result, 0) + " = " + call) + ";};");
      exportMakers.set(sig, make);
    }
    return make(I32, I64, F32, F64, f);
  }

  function describe(e) {
    if (e instanceof Error) {
      return e.name + ": " + e.message;
    }
    return String(e);
  }

  return {
    // -> module id; throws with V8's message
    compile(bytes) {
      const m = new WebAssembly.Module(new Uint8Array(bytes));
      modules.push(m);
      return modules.length - 1;
    },
    // the module's imports and exports, one "kind module name" (or "kind name") per line
    describe(moduleId) {
      const m = modules[moduleId];
      const lines = [];
      for (const i of WebAssembly.Module.imports(m)) {
        lines.push("import " + i.kind + " " + i.module + " " + i.name);
      }
      for (const e of WebAssembly.Module.exports(m)) {
        lines.push("export " + e.kind + " " + e.name);
      }
      return lines.join("\n");
    },
    // spec: one "module\nname\nparams\nresult\nkey" group per host import, groups joined by "\n";
    // -> instance id, or throws (LinkError with the missing imports named)
    instantiate(moduleId, spec) {
      const m = modules[moduleId];
      const inst = { exports: null, memory: null, callers: [] };
      const offered = new Map();
      const parts = spec === "" ? [] : spec.split("\n");
      for (let k = 0; k + 4 < parts.length; k += 5) {
        offered.set(parts[k] + "\u0000" + parts[k + 1],
            importStub(parts[k + 2], parts[k + 3], Number(parts[k + 4]), inst));
      }
      const imports = {};
      const missing = [];
      for (const i of WebAssembly.Module.imports(m)) {
        const stub = i.kind === "function" ? offered.get(i.module + "\u0000" + i.name) : undefined;
        if (stub === undefined) {
          missing.push(i.module + "." + i.name + " (" + i.kind + ")");
          continue;
        }
        (imports[i.module] = imports[i.module] || {})[i.name] = stub;
      }
      if (missing.length > 0) {
        throw new WebAssembly.LinkError("the host does not provide " + missing.join(", "));
      }
      let id = instances.indexOf(null);
      if (id < 0) {
        id = instances.length;
        instances.push(null);
      }
      instances[id] = inst; // host calls made by the start function already find it
      try {
        const instance = new WebAssembly.Instance(m, imports);
        inst.exports = instance.exports;
        inst.memory = instance.exports.memory instanceof WebAssembly.Memory
            ? instance.exports.memory : null;
      } catch (e) {
        instances[id] = null;
        throw e;
      }
      return id;
    },
    // -> caller index for the export, or -1 if there is no such function
    exportIndex(id, name, params, result) {
      const inst = instances[id];
      const f = inst.exports[name];
      if (typeof f !== "function") {
        return -1;
      }
      inst.callers.push(exportCaller(params, result, f));
      return inst.callers.length - 1;
    },
    // registers: instance, caller index and arguments; status 0 ok, 1 trap, 2 host error
    call() {
      const inst = instances[I32[INSTANCE]];
      try {
        inst.callers[I32[KEY]]();
        I32[STATUS] = 0;
      } catch (e) {
        I32[STATUS] = e === HOST_ERROR ? 2 : 1;
        lastError = e;
      }
      F64[MEMORY] = inst.memory === null ? 0 : inst.memory.buffer.byteLength;
    },
    lastError() {
      const e = lastError;
      lastError = null;
      return describe(e);
    },
    memory(id) {
      const inst = instances[id];
      return inst.memory === null ? null : inst.memory.buffer;
    },
    drop(id) {
      instances[id] = null;
    },
    forget(moduleId) {
      modules[moduleId] = null;
    },
  };
})

// Loads a Rustless module in V8 (Node's): compile, instantiate with stub host functions (the start
// function unpacks the data and initialises TeaVM's heap), then run _initialize (the plugin's main)
// and create the root context. Prints "ok <exports>" or exits non-zero with V8's message.
const fs = require("fs");
const bytes = fs.readFileSync(process.argv[2]);
const wasm = new WebAssembly.Module(bytes);
const imports = {};
for (const i of WebAssembly.Module.imports(wasm)) {
  if (i.kind !== "function") {
    throw new Error("unexpected import " + i.module + "." + i.name + " of kind " + i.kind);
  }
  imports[i.module] = imports[i.module] || {};
  // every proxy-wasm and WASI function answers 0: OK, or no bytes / no time
  imports[i.module][i.name] = () => 0;
}
const instance = new WebAssembly.Instance(wasm, imports);
const e = instance.exports;
e._initialize();
e.proxy_on_context_create(1, 0);
console.log("ok " + Object.keys(e).length);

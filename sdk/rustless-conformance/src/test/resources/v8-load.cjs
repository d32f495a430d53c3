// Loads a Rustless module in V8 (Node's): compile, instantiate (the start function unpacks the
// data and initialises TeaVM's heap), run _initialize (the plugin's main) and create the root
// context. Prints "ok <exports>", or exits non-zero with V8's message.
// With a second argument, a minimal proxy host then starts the plugin and sends one request whose
// only header is `x-op: <argument>`; it prints the action, the plugin's log lines and its reply.
const fs = require("fs");
const bytes = fs.readFileSync(process.argv[2]);
const op = process.argv[3];
const wasm = new WebAssembly.Module(bytes);
const logs = [];
let reply = null;
let guest = null;
const text = (ptr, len) =>
  Buffer.from(new Uint8Array(guest.memory.buffer, ptr, len)).toString("utf8");
const host = {
  proxy_log: (level, ptr, len) => {
    logs.push(level + " " + text(ptr, len));
    return 0;
  },
  proxy_get_log_level: (out) => {
    new DataView(guest.memory.buffer).setInt32(out, 0, true); // trace: keep everything
    return 0;
  },
  proxy_get_header_map_value: (type, keyPtr, keyLen, outPtr, outLen) => {
    if (type !== 0 || text(keyPtr, keyLen) !== "x-op" || op === undefined) {
      return 1; // not found
    }
    const value = Buffer.from(op, "utf8");
    const at = guest.proxy_on_memory_allocate(value.length);
    new Uint8Array(guest.memory.buffer, at, value.length).set(value);
    const view = new DataView(guest.memory.buffer);
    view.setInt32(outPtr, at, true);
    view.setInt32(outLen, value.length, true);
    return 0;
  },
  proxy_send_local_response: (status, detailsPtr, detailsLen, bodyPtr, bodyLen) => {
    reply = status + " " + text(bodyPtr, bodyLen);
    return 0;
  },
};
const imports = {};
for (const i of WebAssembly.Module.imports(wasm)) {
  if (i.kind !== "function") {
    throw new Error("unexpected import " + i.module + "." + i.name + " of kind " + i.kind);
  }
  imports[i.module] = imports[i.module] || {};
  // anything else answers "not found" (proxy) or success (WASI)
  imports[i.module][i.name] =
    host[i.name] || (i.module === "env" ? () => 1 : () => 0);
}
const instance = new WebAssembly.Instance(wasm, imports);
guest = instance.exports;
guest._initialize();
guest.proxy_on_context_create(1, 0);
if (op === undefined) {
  console.log("ok " + Object.keys(guest).length);
} else {
  console.log("vm_start " + guest.proxy_on_vm_start(1, 0));
  console.log("configure " + guest.proxy_on_configure(1, 0));
  guest.proxy_on_context_create(2, 1);
  console.log("action " + guest.proxy_on_request_headers(2, 1, 1));
  for (const line of logs) {
    console.log("log " + line);
  }
  console.log("reply " + reply);
}

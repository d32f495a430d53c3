/**
 * Rustless's proxy-wasm host, as a library: what the test kit, {@code rustless run}/{@code serve}
 * and the gateway run plugins in.
 *
 * <pre>
 *   ProxyHost          one per process (or test): what its VMs share — shared data, queues, metrics
 *    └─ Vm             one plugin instance (Envoy: one per plugin per worker); root context created
 *        │             and configured at start; thread-safe, one callback at a time
 *        └─ HttpStream one request through the VM (its own context); any number at once, driven
 *                      from any thread; events in (requestHeaders …), what the plugin did out
 * </pre>
 *
 * <p>Engines sit behind {@link io.rustless.host.engine.PluginModule} (the loaded code) and {@link
 * io.rustless.host.engine.PluginInstance} (one VM's code, called by {@link
 * io.rustless.host.engine.Export}): {@code chicory} runs a module, {@code jvm} a plugin's classes.
 * A Wasm engine binds the host functions of {@code abi} ({@link
 * io.rustless.host.abi.HostFunctions}: typed methods over an engine-neutral {@link
 * io.rustless.host.abi.GuestMemory}) and acts on the VM's {@link io.rustless.host.state.VmState}.
 *
 * <p>Calls out go to real servers when the VM has {@link io.rustless.host.upstream.Upstreams} for
 * their cluster: the thread whose callback dispatched a call performs it after the callback, with
 * the VM free for other streams meanwhile, and delivers the answer; other calls wait for {@code
 * Vm.answer…}.
 */
package io.rustless.host;

/**
 * Rustless: Higress/Envoy proxy-wasm plugins in Java.
 *
 * <p>Layers, each in its own package, bottom to top, each using only the ones below it:
 *
 * <pre>
 *   lang      UTF-8, ASCII case, decimal numbers, exception names (the JDK's, without their cost)
 *   host      the Host interface: every host call in Java types, wire enums, host errors
 *   api       RootContext / HttpContext with no-op callbacks, typed actions, the ProxyWasm entry
 *             point, and PluginRuntime, the seam to the VM the plugin runs in
 *   higress   Log, typed config, the _rules_ matcher, clusters, Redis, SSE (Higress conventions)
 * </pre>
 *
 * <p>Beside them the ABI layer, which implements the seams and which no layer above uses:
 *
 * <pre>
 *   internal      the dispatcher (one per VM), its call-out tables, the failure policy
 *   internal.abi  TeaVM imports and exports, the arena, the Host over the imports
 *   jvm           the exports as Java methods, to run a plugin's classes in a JVM-side host
 * </pre>
 *
 * <p>Lifecycle (one VM, 1:N at each step):
 *
 * <pre>
 *   VM ── _initialize → plugin main() registers a RootContext factory
 *    └─ RootContext (one per plugin configuration): onVmStart, onConfigure, onTick
 *        └─ HttpContext (one per HTTP stream): onRequestHeaders … onResponseBody, onLog, onDone
 * </pre>
 */
package io.rustless.sdk;

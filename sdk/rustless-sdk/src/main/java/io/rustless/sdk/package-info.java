/**
 * Rustless: Higress/Envoy proxy-wasm plugins in Java.
 *
 * <p>Layers, each in its own package, each using only the ones below it:
 *
 * <pre>
 *   higress   Log, typed config, the _rules_ matcher (Higress conventions)
 *   api       RootContext / HttpContext with no-op callbacks, typed actions, ProxyWasm entry point
 *   host      the Host interface: every host call in Java types, wire enums, host errors
 *   internal  dispatcher, UTF-8, wire codecs; internal.abi: TeaVM imports/exports, the arena
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

package io.rustless.conformance;

import io.rustless.testing.Mode;
import io.rustless.testing.RustlessTest;

/**
 * {@link ConformanceTest} against the module built with Wasm exception handling, in Chicory
 * (translated to the final encoding) and in V8 (natively); JVM mode ran once already.
 */
@RustlessTest(
    plugin = ConformancePlugin.class,
    wasm = "target/exceptions/plugin.wasm",
    modes = {Mode.WASM, Mode.V8})
class ConformanceWasmExceptionsTest extends ConformanceTest {}

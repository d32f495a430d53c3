package io.rustless.conformance;

import io.rustless.testing.Mode;
import io.rustless.testing.RustlessTest;

/**
 * {@link ConformanceTest} against the module built with Wasm exception handling (JVM mode ran once
 * already).
 */
@RustlessTest(
    plugin = ConformancePlugin.class,
    wasm = "target/exceptions/plugin.wasm",
    modes = Mode.WASM)
class ConformanceWasmExceptionsTest extends ConformanceTest {}

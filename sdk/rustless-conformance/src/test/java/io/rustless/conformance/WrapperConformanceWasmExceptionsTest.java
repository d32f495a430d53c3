package io.rustless.conformance;

import io.rustless.testing.Mode;
import io.rustless.testing.RustlessTest;

/**
 * {@link WrapperConformanceTest} against the module built with Wasm exception handling (JVM mode
 * ran once already).
 */
@RustlessTest(
    plugin = WrapperConformancePlugin.class,
    wasm = "target/exceptions/wrapper.wasm",
    modes = Mode.WASM)
class WrapperConformanceWasmExceptionsTest extends WrapperConformanceTest {}

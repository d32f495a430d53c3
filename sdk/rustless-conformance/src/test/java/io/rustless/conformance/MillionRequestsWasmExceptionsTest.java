package io.rustless.conformance;

import io.rustless.testing.Mode;
import io.rustless.testing.RustlessTest;

/**
 * {@link MillionRequestsTest} against the module built with Wasm exception handling (JVM mode ran
 * once already).
 */
@RustlessTest(
    plugin = ConformancePlugin.class,
    wasm = "target/exceptions/small-heap.wasm",
    modes = Mode.WASM)
class MillionRequestsWasmExceptionsTest extends MillionRequestsTest {}

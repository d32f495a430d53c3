package io.rustless.conformance;

import io.rustless.testing.Mode;
import io.rustless.testing.RustlessTest;

/**
 * {@link MillionRequestsTest} against the module built with Wasm exception handling, in Chicory
 * (translated to the final encoding) and in V8 (natively); JVM mode ran once already.
 */
@RustlessTest(
    plugin = ConformancePlugin.class,
    wasm = "target/exceptions/small-heap.wasm",
    modes = {Mode.WASM, Mode.V8})
class MillionRequestsWasmExceptionsTest extends MillionRequestsTest {}

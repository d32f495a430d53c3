package io.rustless.extensions.demowasm;

import io.rustless.testing.RustlessTest;
import io.rustless.testing.docs.ExtensionDocsTest;

@RustlessTest(plugin = DemoWasmPlugin.class)
class DemoWasmDocsTest extends ExtensionDocsTest {
  DemoWasmDocsTest() {
    super(1);
  }
}

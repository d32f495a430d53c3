package io.rustless.extensions.wrappersayhello;

import io.rustless.testing.RustlessTest;
import io.rustless.testing.docs.ExtensionDocsTest;

@RustlessTest(plugin = WrapperSayHelloPlugin.class)
class WrapperSayHelloDocsTest extends ExtensionDocsTest {
  WrapperSayHelloDocsTest() {
    super(2, WrapperSayHelloConfig::parse, "{}");
  }
}

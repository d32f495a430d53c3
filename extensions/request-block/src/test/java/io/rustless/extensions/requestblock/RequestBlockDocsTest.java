package io.rustless.extensions.requestblock;

import io.rustless.testing.RustlessTest;
import io.rustless.testing.docs.ExtensionDocsTest;

@RustlessTest(plugin = RequestBlockPlugin.class)
class RequestBlockDocsTest extends ExtensionDocsTest {
  RequestBlockDocsTest() {
    super(3, RequestBlockConfig::parse, "{}");
  }
}

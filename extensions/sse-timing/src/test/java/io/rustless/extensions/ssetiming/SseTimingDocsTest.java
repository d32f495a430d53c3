package io.rustless.extensions.ssetiming;

import io.rustless.testing.RustlessTest;
import io.rustless.testing.docs.ExtensionDocsTest;

@RustlessTest(plugin = SseTimingPlugin.class)
class SseTimingDocsTest extends ExtensionDocsTest {
  SseTimingDocsTest() {
    super(2, SseTimingConfig::parse, "{}");
  }
}

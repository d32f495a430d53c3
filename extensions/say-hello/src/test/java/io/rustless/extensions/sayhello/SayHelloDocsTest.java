package io.rustless.extensions.sayhello;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import io.rustless.testing.docs.ExtensionDocsTest;
import io.rustless.testing.docs.WasmPluginExample;

/** README.md and spec.yaml say what the code does. */
@RustlessTest(plugin = SayHelloPlugin.class)
class SayHelloDocsTest extends ExtensionDocsTest {
  SayHelloDocsTest() {
    super(3, SayHelloConfig::parse, "{\"name\": \"x\"}");
  }

  @DualModeTest
  void readmeRoutingExampleGreetsAsDocumented(PluginHarness plugin) {
    WasmPluginExample perDomain = docs.wasmPluginExamples().get(1);
    try (TestHost host = plugin.start(perDomain.pluginConfiguration())) {
      assertThat(reply(host, "foo.example.com")).isEqualTo("Hello, Foo!");
      assertThat(reply(host, "a.bar.example.com:8080")).isEqualTo("Hello, Bar!");
      host.setRouteName("default/lucy");
      assertThat(reply(host, "gateway")).isEqualTo("Hello, Lucy!");
      host.setRouteName("other");
      assertThat(reply(host, "other.example.com")).isEqualTo("Hello, Alice!");
    }
    try (TestHost host = plugin.start(docs.wasmPluginExamples().get(2).pluginConfiguration())) {
      assertThat(reply(host, "other.example.com")).isEqualTo("Hello, World!");
    }
  }

  private static String reply(TestHost host, String authority) {
    return host.expectLocalReply(HeaderMap.of(":authority", authority, ":path", "/")).bodyString();
  }
}

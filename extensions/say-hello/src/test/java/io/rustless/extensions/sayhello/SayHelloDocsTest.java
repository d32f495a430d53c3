package io.rustless.extensions.sayhello;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.StartStatus;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import io.rustless.testing.docs.ExtensionDocs;
import io.rustless.testing.docs.WasmPluginExample;
import org.junit.jupiter.api.Test;

/** README.md and spec.yaml say what the code does. */
@RustlessTest(plugin = SayHelloPlugin.class)
class SayHelloDocsTest {
  private final ExtensionDocs docs = ExtensionDocs.current();

  @Test
  void specIsWellFormedAndMatchesTheReadmeTable() {
    docs.assertSpecWellFormed();
    docs.assertReadmeTableMatchesSpec();
    docs.assertDefaultsMatch(SayHelloConfig::parse, "{\"name\": \"x\"}");
  }

  @DualModeTest
  void everyReadmeExampleConfiguresThePlugin(PluginHarness plugin) {
    assertThat(docs.wasmPluginExamples()).hasSize(3);
    for (WasmPluginExample example : docs.wasmPluginExamples()) {
      try (TestHost host = plugin.start(example.pluginConfiguration())) {
        assertThat(host.startStatus()).as(example.pluginConfiguration()).isEqualTo(StartStatus.OK);
      }
    }
  }

  @DualModeTest
  void specExamplesConfigureThePlugin(PluginHarness plugin) {
    try (TestHost host = plugin.start(docs.configExample())) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
    }
    String route = docs.routeConfigExample().orElseThrow();
    try (TestHost host =
        plugin.start(
            "{\"_rules_\": ["
                + route.replaceFirst("^\\{", "{\"_match_route_\": [\"r\"], ")
                + "]}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
    }
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
    host.callOnHttpRequestHeaders(
        io.rustless.sdk.host.HeaderMap.of(":authority", authority, ":path", "/"), true);
    String body = host.getLocalResponse().orElseThrow().bodyString();
    host.completeHttp();
    return body;
  }
}

package io.rustless.extensions.requestblock;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.StartStatus;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import io.rustless.testing.docs.ExtensionDocs;
import io.rustless.testing.docs.WasmPluginExample;
import org.junit.jupiter.api.Test;

@RustlessTest(plugin = RequestBlockPlugin.class)
class RequestBlockDocsTest {
  private final ExtensionDocs docs = ExtensionDocs.current();

  @Test
  void specAgreesWithReadmeAndCode() {
    docs.assertSpecWellFormed();
    docs.assertReadmeTableMatchesSpec();
    docs.assertDefaultsMatch(RequestBlockConfig::parse, "{}");
  }

  @DualModeTest
  void everyExampleConfiguresThePlugin(PluginHarness plugin) {
    assertThat(docs.wasmPluginExamples()).hasSize(3);
    for (WasmPluginExample e : docs.wasmPluginExamples()) {
      try (TestHost host = plugin.start(e.pluginConfiguration())) {
        assertThat(host.startStatus()).as(e.name()).isEqualTo(StartStatus.OK);
      }
    }
    try (TestHost host = plugin.start(docs.configExample())) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
    }
  }
}

package io.rustless.extensions.demowasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.StartStatus;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import io.rustless.testing.docs.ExtensionDocs;
import io.rustless.testing.docs.WasmPluginExample;
import org.junit.jupiter.api.Test;

@RustlessTest(plugin = DemoWasmPlugin.class)
class DemoWasmDocsTest {
  private final ExtensionDocs docs = ExtensionDocs.current();

  @Test
  void specAgreesWithReadme() {
    docs.assertSpecWellFormed();
    docs.assertReadmeTableMatchesSpec();
  }

  @DualModeTest
  void everyExampleConfiguresThePlugin(PluginHarness plugin) {
    assertThat(docs.wasmPluginExamples()).hasSize(1);
    for (WasmPluginExample e : docs.wasmPluginExamples()) {
      try (TestHost host = plugin.start(e.pluginConfiguration())) {
        assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
      }
    }
    try (TestHost host = plugin.start(docs.configExample())) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
    }
  }
}

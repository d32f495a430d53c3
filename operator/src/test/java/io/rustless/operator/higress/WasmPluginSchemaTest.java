package io.rustless.operator.higress;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rustless.operator.customresource.MatchRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which WasmPlugin fields the cluster's CRD would prune, per Higress version. */
class WasmPluginSchemaTest {

  static CustomResourceDefinition crd(String file) throws IOException {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
  }

  static final String HIGRESS_2 = "../crds/wasmplugins.extensions.higress.io.yaml";
  static final String HIGRESS_1 =
      "src/test/resources/higress-1.x/wasmplugins.extensions.higress.io.yaml";

  private static WasmPluginSpec withServiceRule() {
    var spec = new WasmPluginSpec();
    spec.setUrl("oci://r/x@sha256:" + "0".repeat(64));
    spec.setDefaultConfig(Map.of("any", Map.of("nested", List.of(1, 2))));
    spec.setMatchRules(
        List.of(
            new MatchRule(List.of("ns/web"), null, null, Map.of("a", 1), null),
            new MatchRule(null, null, List.of("svc.ns.svc.cluster.local"), Map.of("b", 2), true)));
    return spec;
  }

  @Test
  void higress2DeclaresEveryFieldTheOperatorWrites() throws IOException {
    var schema = WasmPluginSchema.from(crd(HIGRESS_2)).orElseThrow();

    assertThat(schema.unsupportedFields(withServiceRule())).isEmpty();
    assertThat(schema.declares("matchRules.service")).isTrue();
  }

  @Test
  void higress1HasNoServiceMatchRulesSoTheApiServerWouldDropThem() throws IOException {
    var schema = WasmPluginSchema.from(crd(HIGRESS_1)).orElseThrow();

    assertThat(schema.unsupportedFields(withServiceRule()))
        .containsExactly("matchRules[1].service");
    assertThat(schema.declares("matchRules.service")).isFalse();
    assertThat(schema.declares("matchRules.domain")).isTrue();
  }

  @Test
  void aCrdWithoutTheServedVersionGivesNoSchema() throws IOException {
    var crd = crd(HIGRESS_2);
    crd.getSpec().getVersions().get(0).setServed(false);

    assertThat(WasmPluginSchema.from(crd)).isEmpty();
  }
}

package io.rustless.testing.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class WasmPluginExampleTest {

  @SuppressWarnings("unchecked")
  private static WasmPluginExample example(String yaml) {
    return WasmPluginExample.of((Map<String, Object>) new Yaml().load(yaml), "test");
  }

  @Test
  void translatesLikeTheHigressController() {
    WasmPluginExample e =
        example(
            """
            kind: WasmPlugin
            metadata: {name: p}
            spec:
              defaultConfig: {name: A}
              matchRules:
                - ingress: [default/r]
                  domain: [a.com]
                  config: {name: B}
                - service: [s.dns:80]
                  config: {name: C}
                - domain: [off.com]
                  configDisable: true
                  config: {name: D}
            """);
    assertThat(e.name()).isEqualTo("p");
    assertThat(e.pluginConfiguration())
        .isEqualTo(
            "{\"name\":\"A\",\"_rules_\":["
                + "{\"name\":\"B\",\"_match_route_\":[\"default/r\"],\"_match_domain_\":[\"a.com\"]},"
                + "{\"name\":\"C\",\"_match_service_\":[\"s.dns:80\"]}]}");
  }

  @Test
  void defaultConfigDisableDropsTheGlobalPartAndPluginConfigWins() {
    assertThat(
            example(
                    "kind: WasmPlugin\nspec:\n  defaultConfigDisable: true\n  defaultConfig: {name: A}\n"
                        + "  matchRules: [{domain: [x.com], config: {name: X}}]")
                .pluginConfiguration())
        .isEqualTo("{\"_rules_\":[{\"name\":\"X\",\"_match_domain_\":[\"x.com\"]}]}");
    assertThat(
            example("kind: WasmPlugin\nspec:\n  pluginConfig: {raw: 1}\n  defaultConfig: {name: A}")
                .pluginConfiguration())
        .isEqualTo("{\"raw\":1}");
  }

  @Test
  void rejectsFieldsTheCrdDoesNotHave() {
    assertThatThrownBy(
            () -> example("kind: WasmPlugin\nmetadata: {name: p}\nspec:\n  selector: {}"))
        .hasMessage("test: WasmPlugin p uses spec.selector, which the CRD does not have");
    assertThatThrownBy(
            () ->
                example(
                    "kind: WasmPlugin\nmetadata: {name: p}\nspec:\n  matchRules: [{match: route}]"))
        .hasMessage("test: WasmPlugin p uses matchRules[0].match, which the CRD does not have");
    assertThatThrownBy(
            () ->
                example(
                    "kind: WasmPlugin\nmetadata: {name: p}\nspec:\n  matchRules: [{config: {}}]"))
        .hasMessage(
            "test: WasmPlugin p matchRules[0] has no ingress, domain or service (Higress rejects it)");
  }

  @Test
  void camelCasesFieldNames() {
    assertThat(ExtensionDocs.camel("blocked_code")).isEqualTo("blockedCode");
    assertThat(ExtensionDocs.camel("name")).isEqualTo("name");
    assertThat(List.of(ExtensionDocs.camel("deny-raw"))).containsExactly("denyRaw");
  }
}

package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.operator.validation.Catalogue;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaultsAreTheProductionOnes() {
    var c = OperatorConfig.fromEnvironment(Map.of());

    assertThat(c.builderImage()).isEqualTo("ghcr.io/rustless/builder:0.1.0");
    assertThat(c.wasmPluginNamespaces()).containsExactly("higress-system");
    assertThat(c.watchNamespaces()).isEmpty();
    assertThat(c.useServerSideApply()).isTrue();
    assertThat(c.sdkVersion()).isNotBlank().isNotEqualTo("unknown");
    assertThat(c.metricsPort()).isEqualTo(8080);
    assertThat(c.healthPort()).isEqualTo(8081);
  }

  @Test
  void environmentOverridesEverySetting() {
    var c =
        OperatorConfig.fromEnvironment(
            Map.of(
                "RUSTLESS_BUILDER_IMAGE", "r.io/builder:9",
                "RUSTLESS_SDK_VERSION", "9.9",
                "RUSTLESS_WATCH_NAMESPACES", "a, b",
                "RUSTLESS_WASMPLUGIN_NAMESPACES", "higress-system,gw",
                "RUSTLESS_SERVER_SIDE_APPLY", "false",
                "RUSTLESS_BUILD_RETRY_BASE", "PT30S",
                "RUSTLESS_LEADER_ELECTION", "true",
                "POD_NAMESPACE", "ops",
                "RUSTLESS_METRICS_PORT", "9090"));

    assertThat(c.builderImage()).isEqualTo("r.io/builder:9");
    assertThat(c.sdkVersion()).isEqualTo("9.9");
    assertThat(c.watchNamespaces()).isEqualTo(Set.of("a", "b"));
    assertThat(c.wasmPluginNamespaces()).isEqualTo(Set.of("higress-system", "gw"));
    assertThat(c.useServerSideApply()).isFalse();
    assertThat(c.buildRetryBase()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.leaseNamespace()).isEqualTo("ops");
    assertThat(c.metricsPort()).isEqualTo(9090);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("RUSTLESS_SERVER_SIDE_APPLY", "maybe")))
        .hasMessageContaining("maybe");
    assertThatThrownBy(() -> OperatorConfig.builder().wasmPluginNamespaces(Set.of()).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void classpathCatalogueServesSpecYamlsPackagedUnderRustlessCatalogue() throws Exception {
    var catalogue = Catalogue.classpath();

    assertThat(catalogue.find("classpath-fixture"))
        .hasValueSatisfying(s -> assertThat(s.configSchema()).isPresent());
    assertThat(catalogue.find("not-there")).isEmpty();
    // Every extension of the repository with a spec.yaml is in the operator's catalogue.
    try (var dirs = java.nio.file.Files.list(java.nio.file.Path.of("../extensions"))) {
      dirs.filter(d -> java.nio.file.Files.isRegularFile(d.resolve("spec.yaml")))
          .forEach(
              d ->
                  assertThat(catalogue.find(d.getFileName().toString()))
                      .as(d.toString())
                      .isPresent());
    }
  }
}

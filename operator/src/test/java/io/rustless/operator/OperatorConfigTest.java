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
    assertThat(c.defaultWasmPluginNamespace()).isEqualTo("higress-system");
    assertThat(c.maxConcurrentBuilds()).isEqualTo(10);
    assertThat(c.buildMaxAttempts()).isEqualTo(6);
    assertThat(c.readGitSecrets()).isFalse();
    assertThat(c.ownerAnchor()).isEmpty();
    assertThat(c.buildNetworkPolicy()).isEmpty();
    assertThat(c.sdkVersion()).isNotBlank().isNotEqualTo("unknown");
    assertThat(c.metricsPort()).isEqualTo(8080);
    assertThat(c.healthPort()).isEqualTo(8081);
    assertThat(c.buildUser()).isEqualTo(10001L);
    assertThat(c.plainHttpRegistries()).isEmpty();
    assertThat(c.buildResources()).isEqualTo(OperatorConfig.defaultBuildResources());
  }

  @Test
  void environmentOverridesEverySetting() {
    var c =
        OperatorConfig.fromEnvironment(
            Map.ofEntries(
                Map.entry("RUSTLESS_BUILDER_IMAGE", "r.io/builder:9"),
                Map.entry("RUSTLESS_SDK_VERSION", "9.9"),
                Map.entry("RUSTLESS_WATCH_NAMESPACES", "a, b"),
                Map.entry("RUSTLESS_WASMPLUGIN_NAMESPACES", "higress-system,gw"),
                Map.entry("RUSTLESS_DEFAULT_WASMPLUGIN_NAMESPACE", "gw"),
                Map.entry("RUSTLESS_BUILD_RETRY_BASE", "PT30S"),
                Map.entry("RUSTLESS_LEADER_ELECTION", "true"),
                Map.entry("POD_NAMESPACE", "ops"),
                Map.entry("RUSTLESS_METRICS_PORT", "9090"),
                Map.entry("RUSTLESS_ALLOWED_BUILDER_IMAGES", "r.io/builder:*, other.io/b:1"),
                Map.entry("RUSTLESS_MAX_CONCURRENT_BUILDS", "3"),
                Map.entry("RUSTLESS_BUILD_MAX_ATTEMPTS", "2"),
                Map.entry("RUSTLESS_GIT_INTERVAL", "PT1M"),
                Map.entry("RUSTLESS_READ_GIT_SECRETS", "true"),
                Map.entry("RUSTLESS_INSTANCE", "r1"),
                Map.entry("RUSTLESS_OWNER_ANCHOR", "r1-wasmplugin-owner"),
                Map.entry("RUSTLESS_ORPHAN_SWEEP_INTERVAL", "PT30S"),
                Map.entry(
                    "RUSTLESS_BUILD_NETWORK_POLICY",
                    "{\"allowDns\":false,\"egress\":[{\"ports\":[{\"port\":443,\"protocol\":\"TCP\"}]}]}"),
                Map.entry("RUSTLESS_BUILD_USER", "2000"),
                Map.entry("RUSTLESS_PLAIN_HTTP_REGISTRIES", "registry.ci.svc:5000, 127.0.0.1:5000"),
                Map.entry(
                    "RUSTLESS_BUILD_RESOURCES",
                    "{\"requests\":{\"cpu\":\"1\",\"memory\":\"3Gi\"},\"limits\":{\"memory\":\"4Gi\"}}")));

    assertThat(c.builderImage()).isEqualTo("r.io/builder:9");
    assertThat(c.sdkVersion()).isEqualTo("9.9");
    assertThat(c.watchNamespaces()).isEqualTo(Set.of("a", "b"));
    assertThat(c.wasmPluginNamespaces()).isEqualTo(Set.of("higress-system", "gw"));
    assertThat(c.buildRetryBase()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.leaseNamespace()).isEqualTo("ops");
    assertThat(c.metricsPort()).isEqualTo(9090);
    assertThat(c.defaultWasmPluginNamespace()).isEqualTo("gw");
    assertThat(c.allowedBuilderImages())
        .containsExactlyInAnyOrder("r.io/builder:*", "other.io/b:1");
    assertThat(c.maxConcurrentBuilds()).isEqualTo(3);
    assertThat(c.buildMaxAttempts()).isEqualTo(2);
    assertThat(c.gitInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.readGitSecrets()).isTrue();
    assertThat(c.instance()).isEqualTo("r1");
    assertThat(c.ownerAnchor()).contains("r1-wasmplugin-owner");
    assertThat(c.orphanSweepInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.buildNetworkPolicy())
        .hasValueSatisfying(
            n -> {
              assertThat(n.allowDns()).isFalse();
              assertThat(n.egress())
                  .singleElement()
                  .satisfies(
                      e -> assertThat(e.getPorts().get(0).getPort().getIntVal()).isEqualTo(443));
            });
    assertThat(c.buildUser()).isEqualTo(2000L);
    assertThat(c.plainHttpRegistries())
        .containsExactlyInAnyOrder("registry.ci.svc:5000", "127.0.0.1:5000");
    assertThat(c.plainHttp("127.0.0.1:5000")).isTrue();
    assertThat(c.plainHttp("registry.example.com")).isFalse();
    assertThat(c.buildResources().getRequests().get("memory").toString()).isEqualTo("3Gi");
    assertThat(c.buildResources().getLimits().get("memory").toString()).isEqualTo("4Gi");
  }

  @Test
  void theDefaultWasmPluginNamespaceIsTheOnlyOneAllowedOrMustBeAmongThem() {
    assertThat(
            OperatorConfig.builder()
                .wasmPluginNamespaces(Set.of("gateway"))
                .build()
                .defaultWasmPluginNamespace())
        .isEqualTo("gateway");
    assertThatThrownBy(
            () ->
                OperatorConfig.builder()
                    .wasmPluginNamespaces(Set.of("a", "b"))
                    .defaultWasmPluginNamespace("c")
                    .build())
        .hasMessageContaining("not one of wasmPluginNamespaces");
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("RUSTLESS_READ_GIT_SECRETS", "maybe")))
        .hasMessageContaining("maybe");
    assertThatThrownBy(() -> OperatorConfig.builder().wasmPluginNamespaces(Set.of()).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OperatorConfig.builder().buildUser(0).build())
        .hasMessageContaining("non-root");
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("RUSTLESS_BUILD_RESOURCES", "500m")))
        .hasMessageContaining("RUSTLESS_BUILD_RESOURCES");
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

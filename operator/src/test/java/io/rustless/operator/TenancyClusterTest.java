package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.rustless.operator.customresource.BuildSettings;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.ExtensionSource;
import io.rustless.operator.customresource.GitSource;
import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.higress.WasmPlugin;
import io.rustless.operator.policy.RustlessPolicy;
import io.rustless.operator.policy.RustlessPolicySpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tenants cannot reach each other, nor the whole gateway, unless the platform team says so. */
class TenancyClusterTest extends MockClusterTest {

  private void restrictTeamA() {
    deletePolicy(PERMISSIVE_POLICY);
    policy(
        "team-a",
        List.of(NS),
        List.of("*.team-a.example.com"),
        List.of("*.team-a.svc.cluster.local"),
        false);
  }

  private static RustlessWasmPluginSource scoped(String name, MatchRule... rules) {
    var s = greeter(name, Map.of("name", "A"), rules);
    s.getSpec().getWasmPlugin().setDefaultConfigDisable(true);
    return s;
  }

  private RustlessWasmPluginSource awaitRejected(String namespace, String name) {
    return awaitSource(
        namespace, name, condition(Conditions.CONFIG_VALID, Conditions.FALSE, "PolicyViolation"));
  }

  private static String configMessage(RustlessWasmPluginSource s) {
    return s.getStatus().condition(Conditions.CONFIG_VALID).orElseThrow().getMessage();
  }

  @Test
  void sourcesOfTheSameNameInTwoNamespacesGetTwoWasmPlugins() {
    startOperator();
    create(greeter("greeter", Map.of("name", "A")));
    create(in("team-b", greeter("greeter", Map.of("name", "B"))));

    succeed(awaitJob("greeter", 1), digest('a'));
    var jobB = awaitJob("team-b", "greeter", 1);
    client.pods().inNamespace("team-b").resource(buildPod(jobB, 0, result(digest('b')))).create();
    complete(jobB);

    awaitSource("greeter", ready());
    awaitSource("team-b", "greeter", ready());
    assertThat(client.resources(WasmPlugin.class).inNamespace(HIGRESS_NS).list().getItems())
        .extracting(
            w -> w.getMetadata().getName() + "=" + w.getSpec().getDefaultConfig().get("name"))
        .containsExactlyInAnyOrder("team-a.greeter=A", "team-b.greeter=B");
  }

  @Test
  void aNamespaceNoPolicyAdmitsGetsNothingBuiltOrPublished() {
    restrictTeamA();
    startOperator();
    create(in("team-b", scoped("intruder", new MatchRule(List.of("web"), null, null, null, null))));

    var s = awaitRejected("team-b", "intruder");
    assertThat(configMessage(s))
        .startsWith("policy rule namespace-admitted: no RustlessPolicy admits namespace team-b");
    assertThat(s.getStatus().condition(Conditions.STALLED).orElseThrow().getStatus())
        .isEqualTo("True");
    assertThat(jobs("team-b")).isEmpty();
    assertThat(client.resources(WasmPlugin.class).inNamespace(HIGRESS_NS).list().getItems())
        .isEmpty();
  }

  @Test
  void rulesMayNameOwnIngressesAndGrantedDomainsAndServicesOnly() {
    restrictTeamA();
    startOperator();
    create(scoped("other-ingress", new MatchRule(List.of("team-b/web"), null, null, null, null)));
    create(
        scoped("other-domain", new MatchRule(null, List.of("api.example.org"), null, null, null)));
    create(
        scoped(
            "other-service",
            new MatchRule(null, null, List.of("db.team-b.svc.cluster.local"), null, null)));
    create(greeter("global", Map.of("name", "A")));
    create(
        scoped(
            "allowed",
            new MatchRule(List.of("web"), null, null, Map.of("name", "W"), null),
            new MatchRule(
                null, List.of("shop.team-a.example.com"), null, Map.of("name", "S"), null),
            new MatchRule(null, null, List.of("api.team-a.svc.cluster.local:8080"), null, null)));

    assertThat(configMessage(awaitRejected(NS, "other-ingress")))
        .startsWith(
            "policy rule ingress-own-namespace: spec.wasmPlugin.matchRules[0].ingress[0] \"team-b/web\"");
    assertThat(configMessage(awaitRejected(NS, "other-domain")))
        .startsWith(
            "policy rule domain-allowed: spec.wasmPlugin.matchRules[0].domain[0] \"api.example.org\"");
    assertThat(configMessage(awaitRejected(NS, "other-service")))
        .startsWith("policy rule service-allowed: spec.wasmPlugin.matchRules[0].service[0]");
    assertThat(configMessage(awaitRejected(NS, "global")))
        .startsWith("policy rule global-plugin-allowed: spec.wasmPlugin has no matchRules");
    succeed(awaitJob("allowed", 1), digest('a'));
    awaitSource("allowed", ready());

    assertThat(jobs())
        .extracting(j -> j.getMetadata().getName())
        .allMatch(n -> n.startsWith("allowed-"));
    assertThat(client.resources(WasmPlugin.class).inNamespace(HIGRESS_NS).list().getItems())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.getMetadata().getName()).isEqualTo("team-a.allowed");
              // A bare Ingress name is the source's own namespace's, as Higress names its route.
              assertThat(w.getSpec().getMatchRules().get(0).getIngress())
                  .containsExactly("team-a/web");
            });
  }

  @Test
  void revokingAGrantDeletesTheWasmPluginThatNoLongerFits() {
    restrictTeamA();
    startOperator();
    create(
        scoped("shop", new MatchRule(null, List.of("shop.team-a.example.com"), null, null, null)));
    succeed(awaitJob("shop", 1), digest('a'));
    awaitSource("shop", ready());

    client
        .resources(RustlessPolicy.class)
        .withName("team-a")
        .edit(
            p -> {
              p.setSpec(
                  new RustlessPolicySpec(List.of(NS), List.of("*.other.example.com"), null, false));
              return p;
            });

    var revoked =
        awaitSource("shop", condition(Conditions.PUBLISHED, Conditions.FALSE, "PolicyRevoked"));
    assertThat(wasmPlugin("shop")).isEmpty();
    assertThat(revoked.getStatus().condition(Conditions.READY).orElseThrow().getReason())
        .isEqualTo("PolicyViolation");
    assertThat(events("PolicyRevoked")).hasSize(1);
  }

  @Test
  void aSpecChangeThatBreaksThePolicyLeavesTheServingWasmPluginAlone() {
    restrictTeamA();
    startOperator();
    create(
        scoped("shop", new MatchRule(null, List.of("shop.team-a.example.com"), null, null, null)));
    succeed(awaitJob("shop", 1), digest('a'));
    awaitSource("shop", ready());
    String version = wasmPlugin("shop").orElseThrow().getMetadata().getResourceVersion();

    editSpec(
        "shop",
        spec ->
            spec.getWasmPlugin()
                .setMatchRules(
                    List.of(new MatchRule(null, List.of("evil.example.org"), null, null, null))));

    var s = awaitRejected(NS, "shop");
    assertThat(s.getStatus().condition(Conditions.PUBLISHED).orElseThrow().getReason())
        .isEqualTo("ServingPreviousBuild");
    assertThat(wasmPlugin("shop").orElseThrow().getMetadata().getResourceVersion())
        .isEqualTo(version);
  }

  @Test
  void aBuilderImageOutsideTheOperatorsAllowListIsRefused() {
    startOperator();
    var source = greeter("custom-builder", Map.of("name", "A"));
    var build = new BuildSettings();
    build.setBuilderImage("docker.io/attacker/builder:latest");
    source.getSpec().setBuild(build);
    create(source);

    var s = awaitRejected(NS, "custom-builder");
    assertThat(configMessage(s))
        .isEqualTo(
            "policy rule builder-image-allowed: spec.build.builderImage"
                + " \"docker.io/attacker/builder:latest\" is not in the operator's"
                + " allowedBuilderImages (ghcr.io/rustless/builder:*, ghcr.io/rustless/builder:0.1.0)");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(() -> jobs().isEmpty());
  }

  @Test
  void gitCredentialsInTheUrlAreRefusedAndNeverCopied() {
    startOperator();
    var source = greeter("private", Map.of("name", "A"));
    source
        .getSpec()
        .setSource(
            new ExtensionSource(
                null,
                new GitSource(
                    "https://bot:s3cr3t-token@git.example.com/acme/plugins.git",
                    "0123456789abcdef0123456789abcdef01234567",
                    "ext")));
    create(source);

    var s = awaitRejected(NS, "private");
    assertThat(configMessage(s)).startsWith("policy rule git-credentials-in-secret:");
    assertThat(Serialization.asJson(s.getStatus())).doesNotContain("s3cr3t");
    assertThat(jobs()).isEmpty();
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .allSatisfy(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
  }
}

package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.rustless.operator.build.BuildJobs;
import io.rustless.operator.build.BuildNetworkPolicySettings;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.MatchRule;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Operator-wide settings: the build cap, the default namespace, build isolation, the CRD's fields.
 */
class OperatorSettingsTest extends MockClusterTest {

  private List<Job> running() {
    return jobs().stream().filter(j -> BuildJobs.phase(j) == BuildJobs.Phase.RUNNING).toList();
  }

  @Test
  void atMostMaxConcurrentBuildsRunAndQueuedSourcesSaySo() {
    config.maxConcurrentBuilds(2);
    startOperator();
    for (int i = 0; i < 5; i++) {
      create(greeter("q" + i, Map.of("name", "A")));
    }

    await().atMost(EVENTUALLY).until(() -> running().size() == 2);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(() -> running().size() == 2);
    var queued = new ArrayList<String>();
    for (int i = 0; i < 5; i++) {
      String name = "q" + i;
      if (jobs().stream().noneMatch(j -> j.getMetadata().getName().startsWith(name + "-"))) {
        var s = awaitSource(name, condition(Conditions.BUILT, Conditions.UNKNOWN, "BuildQueued"));
        assertThat(s.getStatus().condition(Conditions.READY).orElseThrow().getStatus())
            .isEqualTo("Unknown");
        assertThat(s.getStatus().condition(Conditions.BUILT).orElseThrow().getMessage())
            .isEqualTo(
                "waiting for a build slot: at most 2 builds run at once (operator setting maxConcurrentBuilds)");
        queued.add(name);
      }
    }
    assertThat(queued).hasSize(3);

    // Finishing builds frees slots; never more than two run; everyone gets built.
    int finished = 0;
    while (finished < 5) {
      var now = running();
      assertThat(now.size()).isLessThanOrEqualTo(2);
      if (now.isEmpty()) {
        await().atMost(EVENTUALLY).until(() -> !running().isEmpty());
        continue;
      }
      succeed(now.get(0), digest('a'));
      finished++;
      int done = finished;
      await().atMost(EVENTUALLY).until(() -> running().size() == Math.min(2, 5 - done));
    }
    for (int i = 0; i < 5; i++) {
      awaitSource("q" + i, ready());
    }
  }

  @Test
  void theConfiguredDefaultWasmPluginNamespaceIsHonoured() {
    config.wasmPluginNamespaces(Set.of("gateway"));
    startOperator();
    create(greeter("gw", Map.of("name", "A")));
    succeed(awaitJob("gw", 1), digest('a'));

    var s = awaitSource("gw", ready());
    assertThat(s.getStatus().getWasmPlugin().toString()).isEqualTo("gateway/team-a.gw");
    assertThat(wasmPlugin("gateway", "team-a.gw")).isPresent();
  }

  @Test
  void buildPodsGetANetworkPolicyWithDnsAndTheConfiguredEgressOnly() {
    var egress =
        new NetworkPolicyEgressRuleBuilder()
            .addNewTo()
            .withNewIpBlock()
            .withCidr("10.20.0.0/16")
            .endIpBlock()
            .endTo()
            .addNewPort()
            .withProtocol("TCP")
            .withPort(new IntOrString(5000))
            .endPort()
            .build();
    config.buildNetworkPolicy(new BuildNetworkPolicySettings(true, List.of(egress)));
    startOperator();
    create(greeter("isolated", Map.of("name", "A")));
    Job job = awaitJob("isolated", 1);

    NetworkPolicy np =
        await()
            .atMost(EVENTUALLY)
            .until(
                () ->
                    client
                        .network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(NS)
                        .withName("isolated-build")
                        .get(),
                p -> p != null);
    assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(np.getSpec().getIngress()).isNullOrEmpty();
    assertThat(np.getSpec().getEgress()).hasSize(2);
    assertThat(np.getSpec().getEgress().get(0).getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("UDP/53", "TCP/53");
    assertThat(np.getSpec().getEgress().get(1)).isEqualTo(egress);
    // It selects exactly this source's build pods.
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(np.getSpec().getPodSelector().getMatchLabels());
    assertThat(np.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("isolated"));
  }

  @Test
  void aFieldTheClustersWasmPluginCrdLacksIsRefusedNotPruned() throws Exception {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("wasmplugins.extensions.higress.io")
        .delete();
    await()
        .until(
            () ->
                client
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName("wasmplugins.extensions.higress.io")
                        .get()
                    == null);
    try (InputStream in =
        Files.newInputStream(
            Path.of("src/test/resources/higress-1.x/wasmplugins.extensions.higress.io.yaml"))) {
      applyCrd(in);
    }
    startOperator();
    var source =
        greeter(
            "svc",
            Map.of("name", "A"),
            new MatchRule(
                null,
                null,
                List.of("backend.team-a.svc.cluster.local"),
                Map.of("name", "B"),
                null));
    create(source);

    var refused =
        awaitSource(
            "svc", condition(Conditions.CONFIG_VALID, Conditions.FALSE, "FieldNotSupported"));
    assertThat(refused.getStatus().condition(Conditions.CONFIG_VALID).orElseThrow().getMessage())
        .startsWith(
            "the cluster's WasmPlugin CRD (installed by its Higress version) has no field"
                + " spec.wasmPlugin.matchRules[0].service");
    assertThat(jobs()).isEmpty();
    assertThat(wasmPlugin("svc")).isEmpty();

    // Higress is upgraded: the CRD gains the field, and the source goes on without a change.
    var crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("wasmplugins.extensions.higress.io")
            .get();
    try (InputStream in =
        Files.newInputStream(Path.of("../crds/wasmplugins.extensions.higress.io.yaml"))) {
      var v2 = client.apiextensions().v1().customResourceDefinitions().load(in).item();
      crd.setSpec(v2.getSpec());
    }
    client.resource(crd).update();
    succeed(awaitJob("svc", 1), digest('5'));
    var ready = awaitSource("svc", ready());
    assertThat(ready.getMetadata().getGeneration()).isEqualTo(1);
    assertThat(wasmPlugin("svc").orElseThrow().getSpec().getMatchRules().get(0).getService())
        .containsExactly("backend.team-a.svc.cluster.local");
  }
}

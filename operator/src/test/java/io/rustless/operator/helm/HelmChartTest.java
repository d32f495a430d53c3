package io.rustless.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The chart, linted and rendered by real Helm (helm-java's embedded library). */
class HelmChartTest {

  private static final Path CHART = Path.of("../helm/rustless-operator");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static List<JsonNode> render(UnaryOperator<TemplateCommand> options) throws IOException {
    String out =
        options
            .apply(
                new Helm(CHART)
                    .template()
                    .withName("rustless")
                    .withNamespace("rustless-system")
                    .withKubeVersion("1.30.0"))
            .call();
    var docs = new ArrayList<JsonNode>();
    try (var parser = YAML.getFactory().createParser(out)) {
      YAML.readValues(parser, JsonNode.class)
          .forEachRemaining(
              n -> {
                if (n != null && !n.isEmpty()) {
                  docs.add(n);
                }
              });
    }
    return docs;
  }

  private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  private static JsonNode one(List<JsonNode> docs, String kind) {
    var found = ofKind(docs, kind);
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  private static Map<String, String> env(JsonNode deployment) {
    var env = new java.util.HashMap<String, String>();
    deployment
        .at("/spec/template/spec/containers/0/env")
        .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    return env;
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static JsonNode named(List<JsonNode> docs, String name) {
    return docs.stream()
        .filter(d -> name.equals(d.at("/metadata/name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name));
  }

  /** Each rule as {@code group/resource[names]:verbs}. */
  private static List<String> rules(JsonNode role) {
    var out = new ArrayList<String>();
    for (JsonNode rule : role.path("rules")) {
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          String names =
              rule.has("resourceNames")
                  ? "[" + String.join(",", texts(rule.path("resourceNames"))) + "]"
                  : "";
          out.add(
              group.asText()
                  + "/"
                  + resource.asText()
                  + names
                  + ":"
                  + String.join(",", texts(rule.path("verbs"))));
        }
      }
    }
    return out;
  }

  @Test
  void lintsCleanInStrictMode() {
    var result = new Helm(CHART).lint().strict().call();

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void defaultsRenderALeastPrivilegeOperatorWithProbesMetricsAndLeaderElection()
      throws IOException {
    var docs = render(t -> t);

    // The CRD ships in crds/ (installed by `helm install`, not rendered by `helm template`);
    // CrdUpToDateTest keeps it equal to the generated one.
    assertThat(CHART.resolve("crds/rustlesswasmpluginsources.rustless.io-v1.yml")).exists();
    assertThat(ofKind(docs, "CustomResourceDefinition")).isEmpty();

    var deployment = one(docs, "Deployment");
    assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo("rustless-system");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
    var pod = deployment.at("/spec/template/spec");
    assertThat(pod.at("/serviceAccountName").asText()).isEqualTo("rustless-rustless-operator");
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    var container = pod.at("/containers/0");
    assertThat(container.at("/image").asText()).isEqualTo("ghcr.io/rustless/operator:0.1.0");
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(texts(container.at("/securityContext/capabilities/drop"))).containsExactly("ALL");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(env(deployment))
        .containsEntry("RUSTLESS_BUILDER_IMAGE", "ghcr.io/rustless/builder:0.1.0")
        .containsEntry("RUSTLESS_WASMPLUGIN_NAMESPACES", "higress-system")
        .containsEntry("RUSTLESS_WATCH_NAMESPACES", "")
        .containsEntry("RUSTLESS_LEADER_ELECTION", "true")
        .containsEntry("RUSTLESS_LEASE_NAME", "rustless-operator")
        .containsEntry("RUSTLESS_INSTANCE", "rustless-rustless-operator")
        .containsEntry("RUSTLESS_OWNER_ANCHOR", "rustless-rustless-operator-wasmplugin-owner")
        .containsEntry("RUSTLESS_MAX_CONCURRENT_BUILDS", "10")
        .containsEntry("RUSTLESS_ALLOWED_BUILDER_IMAGES", "")
        .containsEntry("RUSTLESS_READ_GIT_SECRETS", "false")
        .doesNotContainKey("RUSTLESS_BUILD_NETWORK_POLICY")
        .doesNotContainKey("RUSTLESS_SERVER_SIDE_APPLY");
    // The settings the chart renders are ones the operator accepts.
    var config = io.rustless.operator.OperatorConfig.fromEnvironment(env(deployment));
    assertThat(config.ownerAnchor()).contains("rustless-rustless-operator-wasmplugin-owner");
    // The operator reads what the chart renders: the build pod's user, resources, plain HTTP.
    assertThat(config.buildUser()).isEqualTo(10001L);
    assertThat(config.buildResources())
        .isEqualTo(io.rustless.operator.OperatorConfig.defaultBuildResources());
    assertThat(config.plainHttpRegistries()).isEmpty();

    // Sources cluster-wide; WasmPlugins only in Higress's namespace; the Lease only in ours;
    // cluster-scoped reads limited to policies, the Higress CRD by name and the anchor by name.
    var sourcesRole = named(ofKind(docs, "ClusterRole"), "rustless-rustless-operator-sources");
    assertThat(rules(sourcesRole))
        .containsExactlyInAnyOrder(
            "rustless.io/rustlesswasmpluginsources:get,list,watch,patch",
            "rustless.io/rustlesswasmpluginsources/status:get,update",
            "rustless.io/rustlesswasmpluginsources/finalizers:update",
            "batch/jobs:get,list,watch,create,delete",
            "/pods:get,list,watch",
            "/events:create,patch");
    var clusterRole = named(ofKind(docs, "ClusterRole"), "rustless-rustless-operator-cluster");
    assertThat(rules(clusterRole))
        .containsExactlyInAnyOrder(
            "rustless.io/rustlesspolicies:get,list,watch",
            "apiextensions.k8s.io/customresourcedefinitions[wasmplugins.extensions.higress.io]:get,list,watch",
            "rbac.authorization.k8s.io/clusterroles[rustless-rustless-operator-wasmplugin-owner]:get");
    var anchor = named(ofKind(docs, "ClusterRole"), "rustless-rustless-operator-wasmplugin-owner");
    assertThat(anchor.path("rules")).isEmpty();
    assertThat(ofKind(docs, "ClusterRoleBinding").toString())
        .doesNotContain("rustless-rustless-operator-wasmplugin-owner");
    var roles = ofKind(docs, "Role");
    assertThat(roles)
        .extracting(
            r -> r.at("/metadata/namespace").asText() + "/" + r.at("/metadata/name").asText())
        .containsExactlyInAnyOrder(
            "higress-system/rustless-rustless-operator-wasmplugins",
            "rustless-system/rustless-rustless-operator-leader-election");
    assertThat(rules(named(roles, "rustless-rustless-operator-wasmplugins")))
        .containsExactly("extensions.higress.io/wasmplugins:get,list,watch,create,update,delete");
    var lease =
        roles.stream().filter(r -> r.toString().contains("leases")).findFirst().orElseThrow();
    assertThat(lease.at("/rules/1/resourceNames/0").asText()).isEqualTo("rustless-operator");
    for (JsonNode role : ofKind(docs, "ClusterRole")) {
      assertThat(role.toString()).doesNotContain("\"*\"").doesNotContain("secrets");
    }
    assertThat(ofKind(docs, "RoleBinding")).hasSize(2);
    assertThat(ofKind(docs, "ClusterRoleBinding"))
        .hasSize(2)
        .allSatisfy(
            b -> assertThat(b.at("/subjects/0/namespace").asText()).isEqualTo("rustless-system"));
    assertThat(ofKind(docs, "RustlessPolicy")).isEmpty();
    assertThat(one(docs, "Service").at("/spec/ports/0/port").asInt()).isEqualTo(8080);
    assertThat(one(docs, "ServiceAccount").at("/metadata/name").asText())
        .isEqualTo("rustless-rustless-operator");
  }

  @Test
  void overridesRenderNamespacedRbacAndTheirSettings() throws IOException {
    var docs =
        render(
            t ->
                t.set("watchNamespaces[0]", "team-a")
                    .set("watchNamespaces[1]", "team-b")
                    .set("wasmPluginNamespaces[0]", "gateway")
                    .set("replicaCount", 2)
                    .set("maxConcurrentBuilds", 3)
                    .set("allowedBuilderImages[0]", "registry.example.com/builder:*")
                    .set("git.readSecrets", true)
                    .set("buildNetworkPolicy.enabled", true)
                    .set("buildNetworkPolicy.egress[0].ports[0].port", 5000)
                    .set("policies[0].name", "team-a")
                    .set("policies[0].namespaces[0]", "team-a")
                    .set("policies[0].domains[0]", "*.team-a.example.com")
                    .set("builderImage", "registry.example.com/builder:0.2.0")
                    .set("image.tag", "dev")
                    .set("metrics.service.enabled", false)
                    .set("plainHttpRegistries[0]", "registry.ci.svc:5000")
                    .set("buildResources.limits.memory", "3Gi")
                    // a parent chart's globals must not trip the strict schema
                    .set("global.imageRegistry", "mirror.example.com"));

    // Namespaced: only the cluster-scoped reads and the anchor stay cluster-wide.
    assertThat(ofKind(docs, "ClusterRole"))
        .extracting(r -> r.at("/metadata/name").asText())
        .containsExactlyInAnyOrder(
            "rustless-rustless-operator-cluster", "rustless-rustless-operator-wasmplugin-owner");
    var teamA =
        ofKind(docs, "Role").stream()
            .filter(r -> "team-a".equals(r.at("/metadata/namespace").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(rules(teamA))
        .contains(
            "networking.k8s.io/networkpolicies:get,list,watch,create,update,delete",
            "/secrets:get");
    assertThat(one(docs, "RustlessPolicy").at("/spec/domains/0").asText())
        .isEqualTo("*.team-a.example.com");
    assertThat(one(docs, "RustlessPolicy").at("/spec/allowGlobalPlugins").asBoolean()).isFalse();
    assertThat(ofKind(docs, "Role"))
        .extracting(r -> r.at("/metadata/namespace").asText())
        .containsExactlyInAnyOrder("team-a", "team-b", "gateway", "rustless-system");
    assertThat(ofKind(docs, "Service")).isEmpty();
    var deployment = one(docs, "Deployment");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(deployment.at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("ghcr.io/rustless/operator:dev");
    assertThat(env(deployment))
        .containsEntry("RUSTLESS_WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("RUSTLESS_WASMPLUGIN_NAMESPACES", "gateway")
        .containsEntry("RUSTLESS_BUILDER_IMAGE", "registry.example.com/builder:0.2.0")
        .containsEntry("RUSTLESS_MAX_CONCURRENT_BUILDS", "3")
        .containsEntry("RUSTLESS_ALLOWED_BUILDER_IMAGES", "registry.example.com/builder:*")
        .containsEntry("RUSTLESS_READ_GIT_SECRETS", "true")
        .containsEntry("RUSTLESS_PLAIN_HTTP_REGISTRIES", "registry.ci.svc:5000");
    var config = io.rustless.operator.OperatorConfig.fromEnvironment(env(deployment));
    assertThat(config.defaultWasmPluginNamespace()).isEqualTo("gateway");
    assertThat(config.buildNetworkPolicy())
        .hasValueSatisfying(
            n -> {
              assertThat(n.allowDns()).isTrue();
              assertThat(n.egress())
                  .singleElement()
                  .satisfies(
                      e -> assertThat(e.getPorts().get(0).getPort().getIntVal()).isEqualTo(5000));
            });
    assertThat(config.plainHttp("registry.ci.svc:5000")).isTrue();
    assertThat(config.buildResources().getLimits().get("memory").toString()).isEqualTo("3Gi");
    assertThat(config.buildResources().getRequests().get("memory").toString()).isEqualTo("1Gi");
  }

  @Test
  void valuesSchemaAndGuardsRejectBadValues() {
    assertThatThrownBy(() -> render(t -> t.set("replicaCount", "many")))
        .hasMessageContaining("replicaCount");
    assertThatThrownBy(() -> render(t -> t.set("unknownKnob", true)))
        .hasMessageContaining("unknownKnob");
    assertThatThrownBy(
            () -> render(t -> t.set("replicaCount", 2).set("leaderElection.enabled", false)))
        .hasMessageContaining("leaderElection");
  }
}

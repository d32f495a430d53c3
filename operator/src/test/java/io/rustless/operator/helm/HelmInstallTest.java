package io.rustless.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.rustless.operator.OperatorConfig;
import io.rustless.operator.RustlessOperator;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.ExtensionSource;
import io.rustless.operator.customresource.ImageTarget;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.RustlessWasmPluginSourceSpec;
import io.rustless.operator.customresource.WasmPluginSettings;
import io.rustless.operator.higress.WasmPlugin;
import io.rustless.operator.policy.RustlessPolicy;
import io.rustless.operator.validation.Catalogue;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart installed and uninstalled by real Helm (helm-java) into the mock API server, with the
 * operator running as the chart configures it: {@code helm uninstall} must take the operator's
 * WasmPlugins with it (through the owner anchor and Kubernetes' garbage collector, which the test
 * plays) and leave no source that cannot be deleted.
 */
class HelmInstallTest {

  private static final Path CHART = Path.of("../helm/rustless-operator");
  private static final String RELEASE = "rustless";
  private static final String NAMESPACE = "rustless-system";
  private static final String REPOSITORY = "registry.example.com/plugins/greeter";

  @Test
  void helmUninstallRemovesTheWasmPluginsAndStrandsNoSource() throws Exception {
    try (var cluster = new HelmCluster()) {
      KubernetesClient client = cluster.client();
      for (Path crd :
          List.of(
              CHART.resolve("crds/rustlesswasmpluginsources.rustless.io-v1.yml"),
              CHART.resolve("crds/rustlesspolicies.rustless.io-v1.yml"),
              Path.of("../crds/wasmplugins.extensions.higress.io.yaml"))) {
        try (InputStream in = Files.newInputStream(crd)) {
          client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
      }

      var installed =
          new Helm(CHART)
              .install()
              .withName(RELEASE)
              .withNamespace(NAMESPACE)
              .withKubeVersion("1.30.0")
              .skipCrds()
              // The mock serves no OpenAPI document to validate against.
              .disableOpenApiValidation()
              .set("leaderElection.enabled", false)
              .set("policies[0].name", "team-a")
              .set("policies[0].namespaces[0]", "team-a")
              .set("policies[0].allowGlobalPlugins", true)
              .withKubeConfigContents(cluster.kubeconfig())
              .call();
      assertThat(installed.getStatus()).isEqualTo("deployed");
      String anchor = RELEASE + "-rustless-operator-wasmplugin-owner";
      var anchorRole = client.rbac().clusterRoles().withName(anchor).get();
      assertThat(anchorRole).isNotNull();
      assertThat(client.resources(RustlessPolicy.class).withName("team-a").get()).isNotNull();

      // The operator as the chart's Deployment configures it.
      var deployment =
          client
              .apps()
              .deployments()
              .inNamespace(NAMESPACE)
              .withName(RELEASE + "-rustless-operator")
              .get();
      Map<String, String> env =
          deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
              .filter(e -> e.getValue() != null)
              .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
      var config = OperatorConfig.fromEnvironment(env);
      assertThat(config.ownerAnchor()).contains(anchor);
      Operator operator =
          RustlessOperator.builder(client, config)
              .catalogue(Catalogue.directory(Path.of("src/test/resources/catalogue")))
              .build();
      operator.start();
      try {
        client.resource(source("greeter")).create();
        Job job = awaitJob(client);
        succeed(client, job);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    client
                        .resources(RustlessWasmPluginSource.class)
                        .inNamespace("team-a")
                        .withName("greeter")
                        .get(),
                s -> s.getStatus() != null && Conditions.isTrue(s.getStatus(), Conditions.READY));
      } finally {
        operator.stop();
      }
      WasmPlugin plugin =
          client
              .resources(WasmPlugin.class)
              .inNamespace("higress-system")
              .withName("team-a.greeter")
              .get();
      assertThat(plugin.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.getKind()).isEqualTo("ClusterRole");
                assertThat(o.getName()).isEqualTo(anchor);
                assertThat(o.getUid()).isEqualTo(anchorRole.getMetadata().getUid());
              });

      Helm.uninstall(RELEASE)
          .withNamespace(NAMESPACE)
          .withKubeConfigContents(cluster.kubeconfig())
          .call();

      assertThat(client.rbac().clusterRoles().withName(anchor).get()).isNull();
      assertThat(client.apps().deployments().inNamespace(NAMESPACE).list().getItems()).isEmpty();
      collectGarbage(client);
      assertThat(client.resources(WasmPlugin.class).inAnyNamespace().list().getItems()).isEmpty();

      // Without the operator, a source (and so its namespace, or the CRD) still deletes at once.
      client
          .resources(RustlessWasmPluginSource.class)
          .inNamespace("team-a")
          .withName("greeter")
          .delete();
      assertThat(
              client
                  .resources(RustlessWasmPluginSource.class)
                  .inNamespace("team-a")
                  .withName("greeter")
                  .get())
          .isNull();
      collectGarbage(client);
      assertThat(client.batch().v1().jobs().inNamespace("team-a").list().getItems()).isEmpty();
    }
  }

  private static RustlessWasmPluginSource source(String name) {
    var spec = new RustlessWasmPluginSourceSpec();
    spec.setSource(new ExtensionSource("greeter", null));
    spec.setImage(new ImageTarget(REPOSITORY, "push-creds"));
    var wp = new WasmPluginSettings();
    wp.setDefaultConfig(Map.of("name", "Alice"));
    spec.setWasmPlugin(wp);
    var s = new RustlessWasmPluginSource();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").build());
    s.setSpec(spec);
    return s;
  }

  private static Job awaitJob(KubernetesClient client) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.batch().v1().jobs().inNamespace("team-a").list().getItems(),
            l -> !l.isEmpty())
        .get(0);
  }

  /**
   * The Job controller and kubelet: the Job's pod terminates with the result, the Job completes.
   */
  private static void succeed(KubernetesClient client, Job job) {
    String digest = "sha256:" + "a".repeat(64);
    var template = job.getSpec().getTemplate().getMetadata();
    client
        .pods()
        .inNamespace("team-a")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "-p")
                .withNamespace("team-a")
                .withLabels(template.getLabels())
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion("batch/v1")
                        .withKind("Job")
                        .withName(job.getMetadata().getName())
                        .withUid(job.getMetadata().getUid())
                        .withController(true)
                        .build())
                .endMetadata()
                .withNewStatus()
                .withContainerStatuses(
                    new ContainerStatusBuilder()
                        .withName("build")
                        .withState(
                            new ContainerStateBuilder()
                                .withNewTerminated()
                                .withExitCode(0)
                                .withMessage(
                                    "{\"digest\":\""
                                        + digest
                                        + "\",\"reference\":\""
                                        + REPOSITORY
                                        + "@"
                                        + digest
                                        + "\",\"size\":1}")
                                .endTerminated()
                                .build())
                        .build())
                .endStatus()
                .build())
        .create();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    client
        .batch()
        .v1()
        .jobs()
        .resource(job)
        .editStatus(
            j -> {
              j.setStatus(
                  new JobStatusBuilder()
                      .withSucceeded(1)
                      .withCompletionTime(now)
                      .withConditions(
                          new JobConditionBuilder()
                              .withType("Complete")
                              .withStatus("True")
                              .withLastTransitionTime(now)
                              .build())
                      .build());
              return j;
            });
  }

  /**
   * Kubernetes' garbage collector, for the kinds here: deletes an object all of whose owners (by
   * uid) are gone.
   */
  private static void collectGarbage(KubernetesClient client) {
    var candidates = new java.util.ArrayList<HasMetadata>();
    candidates.addAll(client.resources(WasmPlugin.class).inAnyNamespace().list().getItems());
    candidates.addAll(client.batch().v1().jobs().inAnyNamespace().list().getItems());
    for (HasMetadata o : candidates) {
      List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
      if (owners == null || owners.isEmpty()) {
        continue;
      }
      if (owners.stream().noneMatch(r -> exists(client, r, o.getMetadata().getNamespace()))) {
        client.resource(o).delete();
      }
    }
  }

  private static boolean exists(KubernetesClient client, OwnerReference ref, String namespace) {
    HasMetadata owner =
        switch (ref.getKind()) {
          case "ClusterRole" -> client.rbac().clusterRoles().withName(ref.getName()).get();
          case "RustlessWasmPluginSource" ->
              client
                  .resources(RustlessWasmPluginSource.class)
                  .inNamespace(namespace)
                  .withName(ref.getName())
                  .get();
          default -> throw new IllegalStateException("no owner lookup for " + ref.getKind());
        };
    return owner != null && Objects.equals(owner.getMetadata().getUid(), ref.getUid());
  }
}

package io.rustless.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rustless.kubelet.JobRunner;
import io.rustless.kubelet.Podman;
import io.rustless.operator.OperatorConfig;
import io.rustless.operator.OperatorMain;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.ExtensionSource;
import io.rustless.operator.customresource.ImageTarget;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.RustlessWasmPluginSourceSpec;
import io.rustless.operator.customresource.WasmPluginSettings;
import io.rustless.operator.higress.WasmPlugin;
import io.rustless.operator.podman.ContainerTests;
import io.rustless.operator.policy.RustlessPolicy;
import io.rustless.operator.policy.RustlessPolicySpec;
import io.rustless.operator.validation.Catalogue;
import io.rustless.testservices.DebianRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build half of the lifecycle for real: the fabric8 mock API server (CRUD) with the CRDs, the
 * operator wired as {@link OperatorMain} wires it (configuration from the environment variables the
 * chart sets), the {@link JobRunner} running its Jobs with the real builder image, and Debian's
 * docker-registry with htpasswd on 127.0.0.1. Outside CI it is skipped when podman or the image is
 * missing; CI requires it ({@code RUSTLESS_CONTAINER_TESTS=required}).
 *
 * <p>The operator's catalogue here knows one extension the builder image does not have (a catalogue
 * newer than its image), so that the Job itself meets a missing extension.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class BuildPathEndToEndTest {

  static final String NS = "team-a";
  static final Duration BUILD = Duration.ofMinutes(6);
  static final String RETIRED = "retired-extension";

  static KubernetesMockServer server;
  static KubernetesClient client;
  static DebianRegistry registry;
  static JobRunner runner;
  static Operator operator;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    String image = ContainerTests.builderImage();
    Podman podman = ContainerTests.podmanRunning(image);
    HostCli.requireBuilt();
    registry = ContainerTests.registry();

    applyCrd(
        BuildPathEndToEndTest.class.getResourceAsStream(
            "/META-INF/fabric8/rustlesswasmpluginsources.rustless.io-v1.yml"));
    try (InputStream in =
        Files.newInputStream(Path.of("../crds/wasmplugins.extensions.higress.io.yaml"))) {
      applyCrd(in);
    }
    applyCrd(
        BuildPathEndToEndTest.class.getResourceAsStream(
            "/META-INF/fabric8/rustlesspolicies.rustless.io-v1.yml"));
    // The platform team admits the namespace; its sources serve every route (no match rules).
    var policy = new RustlessPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("e2e").build());
    policy.setSpec(new RustlessPolicySpec(List.of(NS), List.of(), List.of(), true));
    client.resource(policy).create();
    secret(
        "push-creds",
        registry.dockerConfigJson(ContainerTests.REGISTRY_USER, ContainerTests.REGISTRY_PASSWORD));
    secret(
        "wrong-creds", registry.dockerConfigJson(ContainerTests.REGISTRY_USER, "not-the-password"));

    runner = JobRunner.builder(client, podman).start();

    // What the chart sets (helm/rustless-operator/templates/deployment.yaml), for this machine.
    var config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "RUSTLESS_BUILDER_IMAGE", image,
                "RUSTLESS_PLAIN_HTTP_REGISTRIES", registry.host(),
                "RUSTLESS_BUILD_RETRY_BASE", "PT5S",
                "RUSTLESS_METRICS_PORT", "0",
                "RUSTLESS_HEALTH_PORT", "0"));
    String sayHello = classpathSpec("say-hello");
    var catalogue = Catalogue.of(Map.of("say-hello", sayHello, RETIRED, sayHello));
    operator =
        OperatorMain.create(
            client, config, catalogue, Clock.systemUTC(), new SimpleMeterRegistry(), false);
    operator.start();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (runner != null) {
      runner.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @AfterEach
  void theRunnerRanEveryJobAsKubernetesWould() {
    assertThat(runner.errors()).isEmpty();
  }

  // ---- the cases --------------------------------------------------------------------------------

  /**
   * One source through the build half of its life. To spend one build less in CI, its first build
   * is also the one the registry goes away from: the retry is the build that gets published.
   */
  @Test
  void sayHelloIsBuiltInAJobRetriedAfterTheRegistryCameBackServedByDigestReconfiguredAndKept()
      throws Exception {
    create(source("greeter", "say-hello", "push-creds", "E2E"));

    // The registry goes away while the Job builds (past its access check): the push fails, the
    // source says so, and the next attempt publishes once the registry is back.
    String firstJob =
        awaitSource(
                "greeter",
                BUILD,
                s -> s.getStatus() != null && s.getStatus().getCurrentBuildJob() != null)
            .getStatus()
            .getCurrentBuildJob();
    await()
        .atMost(BUILD)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                runner
                    .runningLogs(NS, firstJob)
                    .filter(l -> l.contains("==> Building"))
                    .isPresent());
    registry.stop();
    try {
      var refused =
          awaitSource(
              "greeter", BUILD, condition(Conditions.PUBLISHED, Conditions.FALSE, "PushFailed"));
      assertThat(refused.getStatus().condition(Conditions.PUBLISHED).orElseThrow().getMessage())
          .contains("build Job " + firstJob + " could not push")
          .contains("cannot reach registry " + registry.host());
      assertThat(refused.getStatus().getWasmPlugin()).isNull();
    } finally {
      registry.start();
    }

    var ready = awaitSource("greeter", BUILD, ready());
    assertThat(ready.getStatus().getLastBuild().getAttempt()).isGreaterThanOrEqualTo(2);
    String jobName = ready.getStatus().getLastBuild().getJob();
    Job job = client.batch().v1().jobs().inNamespace(NS).withName(jobName).get();
    String tag = imageTag(job);
    String served = registry.manifestDigest("plugins/greeter", tag).orElseThrow();
    WasmPlugin wp = wasmPlugin(ready).orElseThrow();
    assertThat(wp.getSpec().getUrl())
        .isEqualTo("oci://" + registry.host() + "/plugins/greeter@" + served);
    assertThat(ready.getStatus().getLastGoodDigest()).isEqualTo(served);
    // What the kubelet wrote: the build container's result, from the termination log.
    Pod pod = podOf(jobName);
    var terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(terminated.getExitCode()).isZero();
    assertThat(terminated.getMessage()).contains("\"digest\":\"" + served + "\"");

    // Pulled back from that url, the plugin answers with the source's defaultConfig.
    Path config = tmp.resolve("greeter.json");
    Files.writeString(config, "{\"name\": \"E2E\"}");
    HostCli.Run verified =
        HostCli.run(
            "verify",
            wp.getSpec().getUrl(),
            "--plain-http",
            "--username",
            ContainerTests.REGISTRY_USER,
            "--password",
            ContainerTests.REGISTRY_PASSWORD,
            "--config",
            config.toString(),
            "--request",
            "GET http://example.com/");
    assertThat(verified.exitCode()).as(verified.toString()).isZero();
    assertThat(verified.out()).contains("< 200 (answered by the plugin)").contains("Hello, E2E!");

    // A config-only change: no Job, the WasmPlugin follows.
    int jobs = jobs().size();
    int pods = runner.pods().size();
    editSpec("greeter", s -> s.getWasmPlugin().setDefaultConfig(Map.of("name", "Changed")));
    var reconfigured = awaitSource("greeter", Duration.ofSeconds(60), ready());
    WasmPlugin updated =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> wasmPlugin(reconfigured).orElseThrow(),
                w -> "Changed".equals(w.getSpec().getDefaultConfig().get("name")));
    assertThat(updated.getSpec().getUrl()).isEqualTo(wp.getSpec().getUrl());
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(jobs()).hasSize(jobs);
    assertThat(runner.pods()).hasSize(pods);

    // An extension the image does not have: Built=False with the Job's last log lines, and the
    // WasmPlugin stays as it was.
    editSpec("greeter", s -> s.getSource().setExtension(RETIRED));
    var failed =
        awaitSource("greeter", BUILD, condition(Conditions.BUILT, Conditions.FALSE, "BuildFailed"));
    String message = failed.getStatus().condition(Conditions.BUILT).orElseThrow().getMessage();
    assertThat(message)
        .contains("last log lines")
        .contains("unknown extension '" + RETIRED + "'")
        .contains("say-hello");
    assertThat(failed.getStatus().condition(Conditions.PUBLISHED).orElseThrow().getReason())
        .isEqualTo("ServingPreviousBuild");
    WasmPlugin after = wasmPlugin(failed).orElseThrow();
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(updated.getMetadata().getResourceVersion());

    delete("greeter");
  }

  @Test
  void wrongPushCredentialsAreNotPublishedAndTheConditionNamesTheRegistrysAnswer() {
    create(source("locked-out", "say-hello", "wrong-creds", "E2E"));

    var refused =
        awaitSource(
            "locked-out", BUILD, condition(Conditions.PUBLISHED, Conditions.FALSE, "PushFailed"));

    assertThat(refused.getStatus().condition(Conditions.PUBLISHED).orElseThrow().getMessage())
        .contains("registry " + registry.host() + " answered 401 Unauthorized")
        .contains("refused the credentials");
    assertThat(refused.getStatus().condition(Conditions.READY).orElseThrow().getStatus())
        .isEqualTo(Conditions.FALSE);
    assertThat(refused.getStatus().getWasmPlugin()).isNull();
    assertThat(client.resources(WasmPlugin.class).inAnyNamespace().list().getItems())
        .noneMatch(w -> w.getSpec().getUrl().contains("/plugins/locked-out@"));

    delete("locked-out");
  }

  // ---- helpers
  // ------------------------------------------------------------------------------------

  private static RustlessWasmPluginSource source(
      String name, String extension, String pushSecret, String greeting) {
    var spec = new RustlessWasmPluginSourceSpec();
    spec.setSource(new ExtensionSource(extension, null));
    spec.setImage(new ImageTarget(registry.host() + "/plugins/" + name, pushSecret));
    var wp = new WasmPluginSettings();
    wp.setDefaultConfig(Map.of("name", greeting));
    spec.setWasmPlugin(wp);
    var source = new RustlessWasmPluginSource();
    source.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    source.setSpec(spec);
    return source;
  }

  private static void create(RustlessWasmPluginSource source) {
    client.resource(source).create();
  }

  private static void delete(String name) {
    client.resources(RustlessWasmPluginSource.class).inNamespace(NS).withName(name).delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> get(name) == null);
  }

  private static RustlessWasmPluginSource get(String name) {
    return client.resources(RustlessWasmPluginSource.class).inNamespace(NS).withName(name).get();
  }

  private static void editSpec(String name, Consumer<RustlessWasmPluginSourceSpec> change) {
    client
        .resources(RustlessWasmPluginSource.class)
        .inNamespace(NS)
        .withName(name)
        .edit(
            s -> {
              change.accept(s.getSpec());
              return s;
            });
  }

  /** Waits for the source to meet {@code condition}; prints its conditions (the test's log). */
  private static RustlessWasmPluginSource awaitSource(
      String name, Duration atMost, Predicate<RustlessWasmPluginSource> condition) {
    long t0 = System.nanoTime();
    var s =
        await()
            .atMost(atMost)
            .pollInterval(Duration.ofMillis(250))
            .until(() -> get(name), x -> x != null && condition.test(x));
    var out = new StringBuilder();
    out.append("[e2e] ")
        .append(name)
        .append(" after ")
        .append((System.nanoTime() - t0) / 1_000_000_000)
        .append(" s:");
    if (s.getStatus() != null && s.getStatus().getConditions() != null) {
      for (var c : s.getStatus().getConditions()) {
        out.append("\n  ")
            .append(c.getType())
            .append('=')
            .append(c.getStatus())
            .append(' ')
            .append(c.getReason())
            .append(": ")
            .append(c.getMessage().replace("\n", "\n    "));
      }
    }
    System.err.println(out);
    return s;
  }

  private static Predicate<RustlessWasmPluginSource> condition(
      String type, String status, String reason) {
    return s ->
        s.getStatus() != null
            && s.getMetadata().getGeneration().equals(s.getStatus().getObservedGeneration())
            && s.getStatus()
                .condition(type)
                .filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason()))
                .isPresent();
  }

  private static Predicate<RustlessWasmPluginSource> ready() {
    return condition(Conditions.READY, Conditions.TRUE, "Ready");
  }

  private static Optional<WasmPlugin> wasmPlugin(RustlessWasmPluginSource source) {
    var ref = source.getStatus().getWasmPlugin();
    return ref == null
        ? Optional.empty()
        : Optional.ofNullable(
            client
                .resources(WasmPlugin.class)
                .inNamespace(ref.getNamespace())
                .withName(ref.getName())
                .get());
  }

  private static List<Job> jobs() {
    return client.batch().v1().jobs().inNamespace(NS).list().getItems();
  }

  private static Pod podOf(String job) {
    return client.pods().inNamespace(NS).withLabel("job-name", job).list().getItems().stream()
        .filter(p -> p.getStatus().getContainerStatuses() != null)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no pod of Job " + job));
  }

  /** The tag the Job pushed: {@code --image <repository>:<tag>}. */
  private static String imageTag(Job job) {
    List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    String ref = args.get(args.indexOf("--image") + 1);
    return ref.substring(ref.lastIndexOf(':') + 1);
  }

  private static void applyCrd(InputStream in) {
    client.apiextensions().v1().customResourceDefinitions().load(in).create();
  }

  private static void secret(String name, String dockerConfigJson) {
    client
        .resource(
            new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build())
                .withType("kubernetes.io/dockerconfigjson")
                .withData(
                    Map.of(
                        ".dockerconfigjson",
                        Base64.getEncoder()
                            .encodeToString(dockerConfigJson.getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
  }

  private static String classpathSpec(String extension) throws IOException {
    try (InputStream in =
        BuildPathEndToEndTest.class.getResourceAsStream(
            "/" + Catalogue.CLASSPATH_ROOT + extension + "/spec.yaml")) {
      if (in == null) {
        throw new IllegalStateException("no " + extension + " in the operator's catalogue");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

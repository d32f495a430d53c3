package io.rustless.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.ExtensionSource;
import io.rustless.operator.customresource.ImageTarget;
import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.RustlessWasmPluginSourceSpec;
import io.rustless.operator.customresource.WasmPluginSettings;
import io.rustless.operator.higress.WasmPlugin;
import io.rustless.operator.validation.Catalogue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fabric8 mock API server in CRUD mode with our CRD and Higress's, and the operator running
 * against it. The mock has no controllers, so the test plays the Job controller (pods with
 * termination messages, Job status) and reads the WasmPlugins Higress would read.
 */
@EnableKubernetesMockClient(crud = true, https = false)
abstract class MockClusterTest {

  static final String NS = "team-a";
  static final String HIGRESS_NS = "higress-system";
  static final String REPOSITORY = "registry.example.com/plugins/greeter";
  static final Path CATALOGUE = Path.of("src/test/resources/catalogue");

  KubernetesMockServer server;
  KubernetesClient client;
  Operator operator;

  /** Settings of the operator under test; tests may change them before {@link #startOperator}. */
  OperatorConfig.Builder config =
      OperatorConfig.builder()
          .sdkVersion("0.1.0-test")
          .useServerSideApply(false)
          .buildRetryBase(Duration.ofHours(1))
          .metricsPort(0)
          .healthPort(0);

  @BeforeEach
  void installCrds() throws IOException {
    applyCrd(
        MockClusterTest.class.getResourceAsStream(
            "/META-INF/fabric8/rustlesswasmpluginsources.rustless.io-v1.yml"));
    try (InputStream in =
        Files.newInputStream(Path.of("../crds/wasmplugins.extensions.higress.io.yaml"))) {
      applyCrd(in);
    }
  }

  private void applyCrd(InputStream in) {
    client.apiextensions().v1().customResourceDefinitions().load(in).create();
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  void startOperator() {
    operator =
        OperatorMain.create(
            client,
            config.build(),
            Catalogue.directory(CATALOGUE),
            Clock.systemUTC(),
            new SimpleMeterRegistry(),
            false);
    operator.start();
  }

  // ---- sources

  static RustlessWasmPluginSource greeter(
      String name, Map<String, Object> defaultConfig, MatchRule... rules) {
    var spec = new RustlessWasmPluginSourceSpec();
    spec.setSource(new ExtensionSource("greeter", null));
    spec.setImage(new ImageTarget(REPOSITORY, "push-creds"));
    var wp = new WasmPluginSettings();
    wp.setDefaultConfig(defaultConfig);
    wp.setMatchRules(rules.length == 0 ? null : List.of(rules));
    spec.setWasmPlugin(wp);
    var source = new RustlessWasmPluginSource();
    source.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    source.setSpec(spec);
    return source;
  }

  static MatchRule domainRule(String domain, Map<String, Object> config) {
    return new MatchRule(null, List.of(domain), null, config, null);
  }

  RustlessWasmPluginSource create(RustlessWasmPluginSource source) {
    return client.resource(source).create();
  }

  RustlessWasmPluginSource get(String name) {
    return client.resources(RustlessWasmPluginSource.class).inNamespace(NS).withName(name).get();
  }

  void editSpec(String name, java.util.function.Consumer<RustlessWasmPluginSourceSpec> change) {
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

  // ---- waiting

  RustlessWasmPluginSource awaitSource(String name, Predicate<RustlessWasmPluginSource> condition) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> get(name), s -> s != null && condition.test(s));
  }

  static Predicate<RustlessWasmPluginSource> condition(String type, String status, String reason) {
    return s ->
        s.getStatus() != null
            && s.getMetadata().getGeneration().equals(s.getStatus().getObservedGeneration())
            && s.getStatus()
                .condition(type)
                .filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason()))
                .isPresent();
  }

  static Predicate<RustlessWasmPluginSource> ready() {
    return condition(Conditions.READY, Conditions.TRUE, "Ready");
  }

  List<Job> jobs() {
    return client.batch().v1().jobs().inNamespace(NS).list().getItems();
  }

  Job awaitJob(String sourceName, int attempt) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                jobs().stream()
                    .filter(j -> j.getMetadata().getName().startsWith(sourceName + "-"))
                    .filter(j -> j.getMetadata().getName().endsWith("-" + attempt))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  /** A Job other than {@code known}: the next build. */
  Job awaitNewJob(Job known) {
    String name = known.getMetadata().getName();
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> jobs().stream().filter(j -> !j.getMetadata().getName().equals(name)).findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  Optional<WasmPlugin> wasmPlugin(String name) {
    return Optional.ofNullable(
        client.resources(WasmPlugin.class).inNamespace(HIGRESS_NS).withName(name).get());
  }

  WasmPlugin awaitWasmPlugin(String name, Predicate<WasmPlugin> condition) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> wasmPlugin(name), w -> w.isPresent() && condition.test(w.get()))
        .orElseThrow();
  }

  /** Requests that changed something (not GET) since the last call; drains the mock's log. */
  int drainWrites() throws InterruptedException {
    int writes = 0;
    io.fabric8.mockwebserver.http.RecordedRequest r;
    while ((r = server.takeRequest(0, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
      if (!"GET".equals(r.getMethod())) {
        writes++;
      }
    }
    return writes;
  }

  /** Writes (POST/PUT/PATCH/DELETE) the operator makes while the world stands still. */
  int steadyStateWrites(Duration window) throws InterruptedException {
    drainWrites();
    Thread.sleep(window.toMillis());
    return drainWrites();
  }

  List<io.fabric8.kubernetes.api.model.Event> events(String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  // ---- playing the Job controller

  static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }

  static String result(String digest) {
    return "{\"digest\":\""
        + digest
        + "\",\"reference\":\""
        + REPOSITORY
        + "@"
        + digest
        + "\",\"size\":1234}";
  }

  /** The build pod ran to completion: terminated container with the result JSON, Job Complete. */
  void succeed(Job job, String digest) {
    terminatePod(job, 0, result(digest));
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
                      .withConditions(
                          new JobConditionBuilder().withType("Complete").withStatus("True").build())
                      .build());
              return j;
            });
  }

  /** The build failed (or hit its deadline): the termination message holds the last log lines. */
  void fail(Job job, String logTail, boolean deadline) {
    fail(job, logTail, deadline, 1);
  }

  /** As {@link #fail(Job, String, boolean)}, with the build container's exit status. */
  void fail(Job job, String logTail, boolean deadline, int exitCode) {
    terminatePod(job, exitCode, logTail);
    client
        .batch()
        .v1()
        .jobs()
        .resource(job)
        .editStatus(
            j -> {
              j.setStatus(
                  new JobStatusBuilder()
                      .withFailed(1)
                      .withConditions(
                          new JobConditionBuilder()
                              .withType("Failed")
                              .withStatus("True")
                              .withReason(deadline ? "DeadlineExceeded" : "BackoffLimitExceeded")
                              .withMessage(
                                  deadline
                                      ? "Job was active longer than specified deadline"
                                      : "Job has reached the specified backoff limit")
                              .build())
                      .build());
              return j;
            });
  }

  private void terminatePod(Job job, int exitCode, String message) {
    var template = job.getSpec().getTemplate().getMetadata();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(job.getMetadata().getName() + "-x7k2p")
            .withNamespace(NS)
            .withLabels(template.getLabels())
            .withAnnotations(template.getAnnotations())
            .endMetadata()
            .withSpec(job.getSpec().getTemplate().getSpec())
            .withNewStatus()
            .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("build")
                    .withState(
                        new ContainerStateBuilder()
                            .withNewTerminated()
                            .withExitCode(exitCode)
                            .withMessage(message)
                            .endTerminated()
                            .build())
                    .build())
            .endStatus()
            .build();
    client.pods().inNamespace(NS).resource(pod).create();
  }
}

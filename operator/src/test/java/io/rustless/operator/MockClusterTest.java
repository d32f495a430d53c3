package io.rustless.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
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
import io.rustless.operator.git.GitRevisionResolver;
import io.rustless.operator.higress.WasmPlugin;
import io.rustless.operator.policy.RustlessPolicy;
import io.rustless.operator.policy.RustlessPolicySpec;
import io.rustless.operator.validation.Catalogue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fabric8 mock API server in CRUD mode with our CRDs and Higress's, and the operator running
 * against it as {@link RustlessOperator} wires it. The mock has no controllers, so the test plays
 * the Job controller and the kubelet (a pod owned by the Job, its build container's termination
 * message, the Job's conditions and completion time) and reads the WasmPlugins Higress would read.
 * A permissive RustlessPolicy admits team-a and team-b unless a test replaces it.
 */
@EnableKubernetesMockClient(crud = true, https = false)
abstract class MockClusterTest {

  static final String NS = "team-a";
  static final String HIGRESS_NS = "higress-system";
  static final String REPOSITORY = "registry.example.com/plugins/greeter";
  static final Path CATALOGUE = Path.of("src/test/resources/catalogue");
  static final String PERMISSIVE_POLICY = "tests-permissive";

  KubernetesMockServer server;
  KubernetesClient client;
  SimpleMeterRegistry registry;
  Operator operator;
  GitRevisionResolver gitResolver =
      (repository, revision, credentials) -> {
        throw new AssertionError("this test resolves no git revision");
      };

  /** Settings of the operator under test; tests may change them before {@link #startOperator}. */
  OperatorConfig.Builder config =
      OperatorConfig.builder()
          .sdkVersion("0.1.0-test")
          .buildRetryBase(Duration.ofHours(1))
          .allowedBuilderImages(java.util.Set.of("ghcr.io/rustless/builder:*"))
          .metricsPort(0)
          .healthPort(0);

  @BeforeEach
  void installCrdsAndPolicy() throws IOException {
    applyCrd(resource("/META-INF/fabric8/rustlesswasmpluginsources.rustless.io-v1.yml"));
    applyCrd(resource("/META-INF/fabric8/rustlesspolicies.rustless.io-v1.yml"));
    try (InputStream in =
        Files.newInputStream(Path.of("../crds/wasmplugins.extensions.higress.io.yaml"))) {
      applyCrd(in);
    }
    policy(PERMISSIVE_POLICY, List.of(NS, "team-b"), List.of("*"), List.of("*"), true);
  }

  private static InputStream resource(String name) {
    return MockClusterTest.class.getResourceAsStream(name);
  }

  void applyCrd(InputStream in) {
    client.apiextensions().v1().customResourceDefinitions().load(in).create();
  }

  RustlessPolicy policy(
      String name,
      List<String> namespaces,
      List<String> domains,
      List<String> services,
      boolean global) {
    var p = new RustlessPolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    p.setSpec(new RustlessPolicySpec(namespaces, domains, services, global));
    return client.resource(p).create();
  }

  void deletePolicy(String name) {
    client.resources(RustlessPolicy.class).withName(name).delete();
  }

  @AfterEach
  void stopOperatorAfterTest() {
    stopOperator();
  }

  void stopOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  /** Reconciles the operator has started so far. */
  long reconciles() {
    return Math.round(
        registry.getMeters().stream()
            .filter(m -> m.getId().getName().equals("operator.sdk.reconciliations.started"))
            .mapToDouble(m -> ((io.micrometer.core.instrument.Counter) m).count())
            .sum());
  }

  /**
   * Whether a request came from the operator rather than from the test, by what it does (the mock
   * cannot tell clients apart): the operator writes Jobs (create, delete), source statuses,
   * WasmPlugins, NetworkPolicies and Events, and reads single WasmPlugins, Secrets and
   * ClusterRoles; the test writes sources, pods, Job statuses and policies, and reads lists.
   * Informer lists and watches are not counted (they open once), nor the operator's one-off removal
   * of an old finalizer (a PATCH like the test's own edits).
   */
  static boolean fromOperator(io.fabric8.mockwebserver.http.RecordedRequest r) {
    String path = r.getPath().replaceAll("\\?.*", "");
    String method = r.getMethod();
    if ("GET".equals(method)) {
      return path.matches(".*/(wasmplugins|secrets|clusterroles)/[^/]+");
    }
    return path.matches(".*/namespaces/[^/]+/jobs(/[^/]+)?")
        || path.matches(".*/rustlesswasmpluginsources/[^/]+/status")
        || path.matches(".*/(wasmplugins|networkpolicies|events)(/[^/]+)?");
  }

  void startOperator() {
    registry = new SimpleMeterRegistry();
    operator =
        RustlessOperator.builder(client, config.build())
            .catalogue(Catalogue.directory(CATALOGUE))
            .clock(Clock.systemUTC())
            .meterRegistry(registry)
            .gitResolver((repo, rev, creds) -> gitResolver.resolve(repo, rev, creds))
            .build();
    operator.start();
  }

  void namespace(String name) {
    if (client.namespaces().withName(name).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
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

  static RustlessWasmPluginSource in(String namespace, RustlessWasmPluginSource source) {
    source.getMetadata().setNamespace(namespace);
    return source;
  }

  static MatchRule domainRule(String domain, Map<String, Object> config) {
    return new MatchRule(null, List.of(domain), null, config, null);
  }

  RustlessWasmPluginSource create(RustlessWasmPluginSource source) {
    return client.resource(source).create();
  }

  RustlessWasmPluginSource get(String name) {
    return get(NS, name);
  }

  RustlessWasmPluginSource get(String namespace, String name) {
    return client
        .resources(RustlessWasmPluginSource.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
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

  /**
   * How long a condition may take to come true. Generous on purpose: the operator's queues and the
   * mock server share two cores with everything else a CI run does, and a wait that ends early
   * costs nothing.
   */
  static final Duration EVENTUALLY = Duration.ofSeconds(60);

  RustlessWasmPluginSource awaitSource(String name, Predicate<RustlessWasmPluginSource> condition) {
    return awaitSource(NS, name, condition);
  }

  RustlessWasmPluginSource awaitSource(
      String namespace, String name, Predicate<RustlessWasmPluginSource> condition) {
    return await()
        .atMost(EVENTUALLY)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> get(namespace, name), s -> s != null && condition.test(s));
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
    return jobs(NS);
  }

  List<Job> jobs(String namespace) {
    return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
  }

  Job awaitJob(String sourceName, int attempt) {
    return awaitJob(NS, sourceName, attempt);
  }

  Job awaitJob(String namespace, String sourceName, int attempt) {
    return await()
        .atMost(EVENTUALLY)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                jobs(namespace).stream()
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
        .atMost(EVENTUALLY)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> jobs().stream().filter(j -> !j.getMetadata().getName().equals(name)).findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  /** The WasmPlugin of source {@code name} in team-a. */
  Optional<WasmPlugin> wasmPlugin(String name) {
    return wasmPlugin(HIGRESS_NS, NS + "." + name);
  }

  Optional<WasmPlugin> wasmPlugin(String namespace, String fullName) {
    return Optional.ofNullable(
        client.resources(WasmPlugin.class).inNamespace(namespace).withName(fullName).get());
  }

  WasmPlugin awaitWasmPlugin(String name, Predicate<WasmPlugin> condition) {
    return await()
        .atMost(EVENTUALLY)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> wasmPlugin(name), w -> w.isPresent() && condition.test(w.get()))
        .orElseThrow();
  }

  /** Operator requests that changed something (not GET) since the last drain of the mock's log. */
  int drainWrites() throws InterruptedException {
    return drain(r -> fromOperator(r) && !"GET".equals(r.getMethod()));
  }

  /** Requests matching {@code which} since the last drain; drains the mock's log. */
  int drain(Predicate<io.fabric8.mockwebserver.http.RecordedRequest> which)
      throws InterruptedException {
    int n = 0;
    io.fabric8.mockwebserver.http.RecordedRequest r;
    while ((r = server.takeRequest(0, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
      if (which.test(r)) {
        n++;
      }
    }
    return n;
  }

  /** Writes (POST/PUT/PATCH/DELETE) the operator makes while nothing changes. */
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

  // ---- playing the Job controller and the kubelet

  static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }

  static String result(String digest) {
    return result(REPOSITORY, digest);
  }

  static String result(String repository, String digest) {
    return "{\"digest\":\""
        + digest
        + "\",\"reference\":\""
        + repository
        + "@"
        + digest
        + "\",\"size\":1234}";
  }

  /** The build pod ran to completion (result JSON), then the Job controller marked it Complete. */
  void succeed(Job job, String digest) {
    terminatePod(job, 0, result(digest));
    complete(job);
  }

  /** The Job controller marks the Job Complete (with its completion time), nothing else. */
  void complete(Job job) {
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

  /** The build failed (or hit its deadline): the termination message holds the last log lines. */
  void fail(Job job, String logTail, boolean deadline) {
    fail(job, logTail, deadline, 1);
  }

  /** As {@link #fail(Job, String, boolean)}, with the build container's exit status. */
  void fail(Job job, String logTail, boolean deadline, int exitCode) {
    terminatePod(job, exitCode, logTail);
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
                      .withFailed(1)
                      .withConditions(
                          new JobConditionBuilder()
                              .withType("Failed")
                              .withStatus("True")
                              .withLastTransitionTime(now)
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

  /** The Job's pod, as the Job controller creates it, terminated as the kubelet reports it. */
  Pod terminatePod(Job job, int exitCode, String message) {
    return client
        .pods()
        .inNamespace(job.getMetadata().getNamespace())
        .resource(buildPod(job, exitCode, message))
        .create();
  }

  static Pod buildPod(Job job, int exitCode, String message) {
    var template = job.getSpec().getTemplate().getMetadata();
    return new PodBuilder()
        .withNewMetadata()
        .withName(job.getMetadata().getName() + "-x7k2p")
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(template.getLabels())
        .withAnnotations(template.getAnnotations())
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
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
  }
}

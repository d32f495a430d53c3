package io.rustless.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.rustless.kubelet.JobRunner;
import io.rustless.kubelet.Podman;
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
import io.rustless.testservices.DebianRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator image (docker/operator.Dockerfile) run as the Helm chart runs it: uid 65532, a
 * read-only root file system with /tmp writable, configuration from RUSTLESS_* variables, the API
 * server from a kubeconfig. Against the fabric8 mock API server, with the {@link JobRunner} as the
 * kubelet and Debian's docker-registry, it takes a say-hello source to Ready: what the in-process
 * {@link BuildPathEndToEndTest} proves of the code, this proves of the image.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class OperatorImageTest {

  static final String NS = "team-img";
  static final Duration BUILD = Duration.ofMinutes(6);

  static KubernetesMockServer server;
  static KubernetesClient client;
  static DebianRegistry registry;
  static JobRunner runner;
  static Podman podman;
  static String container;
  static int healthPort;
  static int metricsPort;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    String operatorImage = ContainerTests.operatorImage();
    String builderImage = ContainerTests.builderImage();
    podman = ContainerTests.podmanRunning(operatorImage);
    ContainerTests.podmanRunning(builderImage);
    registry = ContainerTests.registry();

    applyCrd(
        OperatorImageTest.class.getResourceAsStream(
            "/META-INF/fabric8/rustlesswasmpluginsources.rustless.io-v1.yml"));
    try (InputStream in =
        Files.newInputStream(Path.of("../crds/wasmplugins.extensions.higress.io.yaml"))) {
      applyCrd(in);
    }
    applyCrd(
        OperatorImageTest.class.getResourceAsStream(
            "/META-INF/fabric8/rustlesspolicies.rustless.io-v1.yml"));
    var policy = new RustlessPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("image-test").build());
    policy.setSpec(new RustlessPolicySpec(List.of(NS), List.of(), List.of(), true));
    client.resource(policy).create();
    client
        .resource(
            new SecretBuilder()
                .withMetadata(
                    new ObjectMetaBuilder().withName("push-creds").withNamespace(NS).build())
                .withType("kubernetes.io/dockerconfigjson")
                .withData(
                    Map.of(
                        ".dockerconfigjson",
                        Base64.getEncoder()
                            .encodeToString(
                                registry
                                    .dockerConfigJson(
                                        ContainerTests.REGISTRY_USER,
                                        ContainerTests.REGISTRY_PASSWORD)
                                    .getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
    runner = JobRunner.builder(client, podman).start();

    // Readable by the image's user, as a mounted Secret would be.
    Path kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: mock",
            "  cluster:",
            "    server: http://127.0.0.1:" + server.getPort(),
            "contexts:",
            "- name: mock",
            "  context:",
            "    cluster: mock",
            "    user: operator",
            "current-context: mock",
            "users:",
            "- name: operator",
            "  user:",
            "    token: not-checked-by-the-mock-server",
            ""));
    Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-r--r--"));
    healthPort = freePort();
    metricsPort = freePort();
    container = "rustless-operator-test-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> args = new ArrayList<>(List.of("run", "-d", "--rm", "--name", container));
    args.addAll(podman.runOptions());
    args.addAll(
        List.of(
            "--network",
            "host",
            "--read-only",
            "--tmpfs",
            "/tmp",
            "--cap-drop",
            "ALL",
            "-v",
            kubeconfig + ":/etc/rustless/kubeconfig:ro",
            "-e",
            "KUBECONFIG=/etc/rustless/kubeconfig",
            "-e",
            "RUSTLESS_BUILDER_IMAGE=" + builderImage,
            "-e",
            "RUSTLESS_PLAIN_HTTP_REGISTRIES=" + registry.host(),
            "-e",
            "RUSTLESS_HEALTH_PORT=" + healthPort,
            "-e",
            "RUSTLESS_METRICS_PORT=" + metricsPort,
            operatorImage));
    Podman.Result r = podman.exec(args, Duration.ofMinutes(2));
    assertThat(r.ok()).as("podman run of the operator image: %s", r).isTrue();
  }

  @AfterAll
  static void stop() {
    if (container != null) {
      System.err.println("[operator image] logs:\n" + logs());
      podman.exec(List.of("rm", "-f", "-t", "5", container), Duration.ofMinutes(1));
    }
    if (runner != null) {
      runner.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void theImageRunsAsTheChartRunsItAndTakesASourceToReady() throws Exception {
    assertThat(podman.inspectImage(ContainerTests.operatorImage(), "{{.Config.User}}"))
        .isEqualTo("65532:65532");
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> get(healthPort, "/readyz") == 200);
    // JSON lines (logback's JSON encoder escapes '/').
    assertThat(logs())
        .contains("'rustlesswasmpluginsource' controller started")
        .contains("started: builder image " + ContainerTests.builderImage().replace("/", "\\/"));

    var spec = new RustlessWasmPluginSourceSpec();
    spec.setSource(new ExtensionSource("say-hello", null));
    spec.setImage(new ImageTarget(registry.host() + "/plugins/from-image", "push-creds"));
    var wp = new WasmPluginSettings();
    wp.setDefaultConfig(Map.of("name", "Image"));
    spec.setWasmPlugin(wp);
    var source = new RustlessWasmPluginSource();
    source.setMetadata(new ObjectMetaBuilder().withName("from-image").withNamespace(NS).build());
    source.setSpec(spec);
    client.resource(source).create();

    var ready =
        await()
            .atMost(BUILD)
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    client
                        .resources(RustlessWasmPluginSource.class)
                        .inNamespace(NS)
                        .withName("from-image")
                        .get(),
                s ->
                    s.getStatus() != null
                        && s.getStatus()
                            .condition(Conditions.READY)
                            .filter(c -> Conditions.TRUE.equals(c.getStatus()))
                            .isPresent());
    assertThat(runner.errors()).isEmpty();
    Job job =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(NS)
            .withName(ready.getStatus().getLastBuild().getJob())
            .get();
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(ContainerTests.builderImage());
    var ref = ready.getStatus().getWasmPlugin();
    WasmPlugin plugin =
        client
            .resources(WasmPlugin.class)
            .inNamespace(ref.getNamespace())
            .withName(ref.getName())
            .get();
    String served = ready.getStatus().getLastGoodDigest();
    assertThat(plugin.getSpec().getUrl())
        .isEqualTo("oci://" + registry.host() + "/plugins/from-image@" + served);
    assertThat(plugin.getSpec().getDefaultConfig()).containsEntry("name", "Image");
    assertThat(get(metricsPort, "/metrics")).isEqualTo(200);
  }

  private static int get(int port, String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String logs() {
    return podman.execMerged(List.of("logs", container), Duration.ofSeconds(30)).out();
  }

  private static void applyCrd(InputStream in) {
    client.apiextensions().v1().customResourceDefinitions().load(in).create();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

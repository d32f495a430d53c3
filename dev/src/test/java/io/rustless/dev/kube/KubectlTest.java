package io.rustless.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl against the embedded API with the kubeconfig it writes: apply, get (by short name), watch
 * and delete of the example source and of a Higress WasmPlugin, with a fabric8 informer watching
 * the same objects change.
 */
class KubectlTest {
  static final Path REPO = Path.of(System.getProperty("rustless.repo", ".."));
  static final String RWPS = "rustless.io/v1alpha1";

  @TempDir static Path tmp;
  static EmbeddedKubeApi api;
  static final java.util.Set<String> requests = java.util.concurrent.ConcurrentHashMap.newKeySet();
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    Path binary = Kubectl.find();
    long t0 = System.nanoTime();
    api =
        EmbeddedKubeApi.builder()
            .crd(REPO.resolve("crds/rustlesswasmpluginsources.rustless.io-v1.yml"))
            .crd(REPO.resolve("crds/wasmplugins.extensions.higress.io.yaml"))
            .namespaces("default", "higress-system")
            .kubeconfig(tmp.resolve("dev/kubeconfig"))
            .log(line -> requests.add(endpoint(line)))
            .start();
    System.out.printf(
        "[measure] embedded Kubernetes API started in %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
    kubectl = new Kubectl(binary, api.kubeconfig().orElseThrow(), tmp.resolve("kube-cache"));
    System.out.println("[kubectl] " + kubectl.run("version").out().strip().replace('\n', ' '));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    // What kubectl and the informer asked for, for the record (names and values elided).
    requests.stream().sorted().forEach(r -> System.out.println("[endpoint] " + r));
  }

  /** "GET /apis/rustless.io/v1alpha1/namespaces/default/x?watch=true -> 200" as a pattern. */
  static String endpoint(String logLine) {
    String s = logLine.replaceAll("/namespaces/[^/? ]+", "/namespaces/{ns}");
    s =
        s.replaceAll(
            "(/(?:rustlesswasmpluginsources|wasmplugins|secrets|namespaces))/[^/?{ ]+",
            "$1/{name}");
    s = s.replaceAll("=([^& ]*)", "=…");
    return s;
  }

  @Test
  void applyGetChangeAndDeleteTheExampleSource() throws Exception {
    Path example = REPO.resolve("examples/say-hello.yaml");
    Kubectl.Run applied = kubectl.run("apply", "-f", example.toString()).ok();
    assertThat(applied.out())
        .contains("secret/registry-push created")
        .contains("rustlesswasmpluginsource.rustless.io/say-hello created");

    assertThat(kubectl.run("get", "rwps").ok().out()).contains("NAME").contains("say-hello");
    assertThat(
            kubectl
                .run(
                    "get",
                    "rustlesswasmpluginsources.rustless.io",
                    "say-hello",
                    "-o",
                    "jsonpath={.spec.wasmPlugin.priority}")
                .ok()
                .out())
        .isEqualTo("10");
    // the API server turns stringData into data; the operator reads data
    assertThat(
            kubectl
                .run("get", "secret", "registry-push", "-o", "jsonpath={.data.\\.dockerconfigjson}")
                .ok()
                .out())
        .isEqualTo(
            java.util.Base64.getEncoder()
                .encodeToString(
                    "{\"auths\":{\"registry.example.com\":{\"auth\":\"cHVzaGVyOmNoYW5nZS1tZQ==\"}}}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    assertThat(kubectl.run("apply", "-f", example.toString()).ok().out())
        .contains("rustlesswasmpluginsource.rustless.io/say-hello unchanged");

    Path changed = tmp.resolve("say-hello-20.yaml");
    Files.writeString(changed, Files.readString(example).replace("priority: 10", "priority: 20"));
    assertThat(kubectl.run("apply", "-f", changed.toString()).ok().out())
        .contains("rustlesswasmpluginsource.rustless.io/say-hello configured");
    GenericKubernetesResource source =
        api.client()
            .genericKubernetesResources(RWPS, "RustlessWasmPluginSource")
            .inNamespace("default")
            .withName("say-hello")
            .get();
    assertThat(source.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(source.getAdditionalProperties().toString()).contains("priority=20");

    Kubectl.Run deleted = kubectl.run("delete", "-f", changed.toString()).ok();
    assertThat(deleted.out())
        .contains("rustlesswasmpluginsource.rustless.io \"say-hello\" deleted")
        .contains("secret \"registry-push\" deleted");
    Kubectl.Run gone = kubectl.run("get", "rwps", "say-hello");
    assertThat(gone.exitCode()).isEqualTo(1);
    assertThat(gone.err()).contains("NotFound").contains("say-hello");
  }

  @Test
  void kubectlWatchAndAFabric8InformerSeeTheSameChanges() throws Exception {
    List<String> informed = new CopyOnWriteArrayList<>();
    SharedIndexInformer<GenericKubernetesResource> informer =
        api.client()
            .genericKubernetesResources(RWPS, "RustlessWasmPluginSource")
            .inNamespace("default")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(GenericKubernetesResource r) {
                    informed.add("ADDED " + r.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource r) {
                    informed.add(
                        "MODIFIED "
                            + r.getMetadata().getName()
                            + " g"
                            + r.getMetadata().getGeneration());
                  }

                  @Override
                  public void onDelete(GenericKubernetesResource r, boolean unknown) {
                    informed.add("DELETED " + r.getMetadata().getName());
                  }
                });
    try (Kubectl.Background watch =
        kubectl.background(
            "get",
            "rwps",
            "--watch",
            "--output-watch-events",
            "-o",
            "jsonpath={.type} {.object.metadata.name} g{.object.metadata.generation}{\"\\n\"}")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> api.openWatches() >= 2);
      Path file = tmp.resolve("watched.yaml");
      Files.writeString(
          file,
          """
          apiVersion: rustless.io/v1alpha1
          kind: RustlessWasmPluginSource
          metadata:
            name: watched
          spec:
            source:
              extension: say-hello
            image:
              repository: 127.0.0.1:5000/plugins/say-hello
          """);
      kubectl.run("apply", "-f", file.toString()).ok();
      assertThat(watch.next()).isEqualTo("ADDED watched g1");
      api.client()
          .genericKubernetesResources(RWPS, "RustlessWasmPluginSource")
          .inNamespace("default")
          .withName("watched")
          .edit(
              r -> {
                r.setAdditionalProperty(
                    "spec",
                    java.util.Map.of(
                        "source", java.util.Map.of("extension", "request-block"),
                        "image", java.util.Map.of("repository", "127.0.0.1:5000/plugins/rb")));
                return r;
              });
      assertThat(watch.next()).isEqualTo("MODIFIED watched g2");
      kubectl.run("delete", "rwps", "watched").ok();
      assertThat(watch.next()).startsWith("DELETED watched");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(informed)
                      .containsExactly("ADDED watched", "MODIFIED watched g2", "DELETED watched"));
    } finally {
      informer.close();
    }
  }

  @Test
  void aHigressWasmPluginIsAppliedAndPatched() throws Exception {
    Path file = tmp.resolve("wasmplugin.yaml");
    Files.writeString(
        file,
        """
        apiVersion: extensions.higress.io/v1alpha1
        kind: WasmPlugin
        metadata:
          name: say-hello
          namespace: higress-system
        spec:
          url: oci://127.0.0.1:5000/plugins/say-hello@sha256:0000000000000000000000000000000000000000000000000000000000000000
          phase: UNSPECIFIED_PHASE
          priority: 10
          defaultConfig:
            name: Alice
          matchRules:
          - domain: [hello.example.com]
            config:
              name: Lucy
        """);
    assertThat(kubectl.run("apply", "-f", file.toString()).ok().out())
        .contains("wasmplugin.extensions.higress.io/say-hello created");
    assertThat(
            kubectl
                .run(
                    "get",
                    "wasmplugins",
                    "-n",
                    "higress-system",
                    "-o",
                    "jsonpath={.items[0].spec.defaultConfig.name}")
                .ok()
                .out())
        .isEqualTo("Alice");
    kubectl
        .run(
            "patch",
            "wasmplugin",
            "say-hello",
            "-n",
            "higress-system",
            "--type",
            "merge",
            "-p",
            "{\"spec\":{\"defaultConfig\":{\"name\":\"Bob\"}}}")
        .ok();
    GenericKubernetesResource wp =
        api.client()
            .genericKubernetesResources("extensions.higress.io/v1alpha1", "WasmPlugin")
            .inNamespace("higress-system")
            .withName("say-hello")
            .get();
    assertThat(wp.getAdditionalProperties().toString()).contains("name=Bob");
    assertThat(kubectl.run("delete", "wasmplugin", "say-hello", "-n", "higress-system").ok().out())
        .contains("deleted");
  }

  static PatchContext merge() {
    return PatchContext.of(PatchType.JSON_MERGE);
  }
}

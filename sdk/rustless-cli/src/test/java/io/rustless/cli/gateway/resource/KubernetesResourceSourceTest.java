package io.rustless.cli.gateway.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kubeconfig}: the same kinds listed and watched through a Kubernetes API (fabric8's mock
 * server in CRUD mode), reached through a kubeconfig file as a user would.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesResourceSourceTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  @TempDir Path tmp;
  Path kubeconfig;

  @BeforeEach
  void writeKubeconfig() throws Exception {
    for (ResourceDefinitionContext kind :
        new ResourceDefinitionContext[] {
          KubernetesResourceSource.WASM_PLUGINS,
          KubernetesResourceSource.INGRESSES,
          KubernetesResourceSource.SECRETS,
          KubernetesResourceSource.SERVICES
        }) {
      client.genericKubernetesResources(kind).inAnyNamespace().delete();
    }
    kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: mock
            cluster: {server: "%s"}
        users:
          - name: dev
            user: {token: dev-token}
        contexts:
          - name: mock
            context: {cluster: mock, user: dev, namespace: default}
        current-context: mock
        """
            .formatted(client.getMasterUrl().toString()));
  }

  private void create(ResourceDefinitionContext kind, String yaml) {
    GenericKubernetesResource r =
        client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    client
        .genericKubernetesResources(kind)
        .inNamespace(r.getMetadata().getNamespace())
        .resource(r)
        .create();
  }

  private static String plugin(String ns, String name, String greeting) {
    return "apiVersion: extensions.higress.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: "
        + name
        + "\n  namespace: "
        + ns
        + "\nspec:\n  url: oci://r.io/p:1\n  defaultConfig:\n    name: "
        + greeting
        + "\n";
  }

  @Test
  void readsTheControllerNamespacesPluginsAndSecretsAndEveryNamespacesIngresses() throws Exception {
    create(KubernetesResourceSource.WASM_PLUGINS, plugin("higress-system", "mine", "A"));
    create(KubernetesResourceSource.WASM_PLUGINS, plugin("default", "elsewhere", "B"));
    create(
        KubernetesResourceSource.SECRETS,
        "apiVersion: v1\nkind: Secret\nmetadata: {name: pull, namespace: higress-system}\n"
            + "type: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: e30=}\n");
    create(
        KubernetesResourceSource.SECRETS,
        "apiVersion: v1\nkind: Secret\nmetadata: {name: other, namespace: default}\n");
    create(
        KubernetesResourceSource.INGRESSES,
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
            + "spec: {ingressClassName: higress}\n");
    BlockingQueue<ResourceSnapshot> got = new LinkedBlockingQueue<>();
    try (KubernetesResourceSource source =
        KubernetesResourceSource.builder()
            .kubeconfig(kubeconfig, null)
            .quietPeriod(Duration.ofMillis(50))
            .build()) {
      source.start(got::add);
      ResourceSnapshot s = got.poll();
      assertThat(s).isNotNull();
      assertThat(s.wasmPlugins())
          .extracting(KubeObject::key)
          .containsExactly("higress-system/mine");
      assertThat(s.secret("higress-system", "pull")).isPresent();
      assertThat(s.secret("default", "other")).isEmpty();
      assertThat(s.ingresses()).extracting(KubeObject::key).containsExactly("shop/web");
      KubeObject mine = s.wasmPlugins().get(0);
      assertThat(mine.resourceVersion()).isNotEmpty();
      assertThat(mine.origin()).startsWith("Kubernetes API");
      assertThat(mine.spec().get("defaultConfig")).isEqualTo(java.util.Map.of("name", "A"));
      assertThat(source.describe())
          .contains(client.getMasterUrl().toString())
          .contains("in higress-system")
          .contains("all namespaces");
    }
  }

  @Test
  void followsChangesThroughTheWatch() throws Exception {
    create(KubernetesResourceSource.WASM_PLUGINS, plugin("higress-system", "a", "Alice"));
    BlockingQueue<ResourceSnapshot> got = new LinkedBlockingQueue<>();
    try (KubernetesResourceSource source =
        KubernetesResourceSource.builder()
            .client(client)
            .quietPeriod(Duration.ofMillis(50))
            .build()) {
      source.start(got::add);
      assertThat(got.poll().wasmPlugins()).hasSize(1);

      create(KubernetesResourceSource.WASM_PLUGINS, plugin("higress-system", "b", "Bob"));
      assertThat(next(got).wasmPlugins()).extracting(KubeObject::name).contains("a", "b");

      client
          .genericKubernetesResources(KubernetesResourceSource.WASM_PLUGINS)
          .inNamespace("higress-system")
          .withName("a")
          .edit(
              r -> {
                @SuppressWarnings("unchecked")
                java.util.Map<String, Object> spec =
                    (java.util.Map<String, Object>) r.getAdditionalProperties().get("spec");
                spec.put("defaultConfig", java.util.Map.of("name", "Anne"));
                return r;
              });
      ResourceSnapshot edited = next(got);
      assertThat(
              edited.wasmPlugins().stream()
                  .filter(o -> o.name().equals("a"))
                  .findFirst()
                  .orElseThrow()
                  .spec()
                  .get("defaultConfig"))
          .isEqualTo(java.util.Map.of("name", "Anne"));

      client
          .genericKubernetesResources(KubernetesResourceSource.WASM_PLUGINS)
          .inNamespace("higress-system")
          .withName("b")
          .delete();
      assertThat(next(got).wasmPlugins()).extracting(KubeObject::name).containsExactly("a");
    }
    // The embedder's client is not closed with the source.
    assertThat(
            client
                .genericKubernetesResources(KubernetesResourceSource.WASM_PLUGINS)
                .inNamespace("higress-system")
                .list()
                .getItems())
        .hasSize(1);
  }

  @Test
  void anUnreachableApiFailsAtStartWithOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = tmp.resolve("dead");
    Files.writeString(
        config,
        Files.readString(kubeconfig)
            .replace(client.getMasterUrl().toString(), "http://127.0.0.1:" + port + "/"));
    KubernetesResourceSource source =
        KubernetesResourceSource.builder()
            .kubeconfig(config, null)
            .startTimeout(Duration.ofSeconds(2))
            .build();
    assertThatThrownBy(() -> source.start(s -> {}))
        .isInstanceOf(ResourceException.class)
        .hasMessageStartingWith("cannot list WasmPlugins in higress-system from http://127.0.0.1:");
  }

  @Test
  void aMissingOrUselessKubeconfigIsOneLine() throws Exception {
    assertThatThrownBy(
            () -> KubernetesResourceSource.builder().kubeconfig(tmp.resolve("none"), null))
        .isInstanceOf(ResourceException.class)
        .hasMessageEndingWith("none does not exist");
    Path garbage = tmp.resolve("garbage");
    Files.writeString(garbage, "this: [is not a kubeconfig\n");
    assertThatThrownBy(() -> KubernetesResourceSource.builder().kubeconfig(garbage, null))
        .isInstanceOf(ResourceException.class)
        .hasMessageStartingWith("cannot use kubeconfig " + garbage);
  }

  private static ResourceSnapshot next(BlockingQueue<ResourceSnapshot> q)
      throws InterruptedException {
    ResourceSnapshot s = q.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("a snapshot after the change").isNotNull();
    return s;
  }
}

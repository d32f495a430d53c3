package io.rustless.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.rustless.cli.fixture.FixtureWasm;
import io.rustless.cli.fixture.Upstream;
import io.rustless.cli.gateway.resource.KubernetesResourceSource;
import io.rustless.cli.oci.RegistryAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway following a Kubernetes API (fabric8's mock server, CRUD mode): a WasmPlugin and an
 * Ingress applied through the API serve, and changes made through the API apply while it runs.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class GatewayKubernetesTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  private static final ResourceDefinitionContext WASM_PLUGINS =
      new ResourceDefinitionContext.Builder()
          .withGroup("extensions.higress.io")
          .withVersion("v1alpha1")
          .withKind("WasmPlugin")
          .withPlural("wasmplugins")
          .withNamespaced(true)
          .build();
  private static final ResourceDefinitionContext INGRESSES =
      new ResourceDefinitionContext.Builder()
          .withGroup("networking.k8s.io")
          .withVersion("v1")
          .withKind("Ingress")
          .withPlural("ingresses")
          .withNamespaced(true)
          .build();

  @TempDir Path tmp;

  private void apply(ResourceDefinitionContext kind, String yaml) {
    GenericKubernetesResource r =
        client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    client
        .genericKubernetesResources(kind)
        .inNamespace(r.getMetadata().getNamespace())
        .resource(r)
        .createOr(existing -> existing.update());
  }

  @Test
  void servesWhatTheApiHoldsAndFollowsItsChanges() throws Exception {
    Path wasm = tmp.resolve("fixture.wasm");
    Files.copy(FixtureWasm.path(), wasm);
    String plugin =
        """
        apiVersion: extensions.higress.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: p, namespace: higress-system}
        spec:
          url: file://%s
          defaultConfig: {tag: %s}
          matchRules:
            - ingress: [shop/web]
              config: {tag: routed-%s}
        """;
    apply(WASM_PLUGINS, plugin.formatted(wasm, "one", "one"));
    apply(
        INGRESSES,
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          ingressClassName: higress
          rules:
            - host: shop.example.com
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend: {service: {name: web, port: {number: 80}}}
        """);
    try (Upstream upstream = new Upstream();
        Gateway gateway =
            Gateway.builder()
                .resources(
                    KubernetesResourceSource.builder()
                        .client(client)
                        .quietPeriod(Duration.ofMillis(50))
                        .build())
                .upstream(upstream.uri())
                .registryAccess(
                    RegistryAccess.builder().plainHttp(true).environment(Map.of()).build())
                .start()) {
      assertThat(tag(gateway, "shop.example.com")).isEqualTo("ROUTED-ONE");
      assertThat(tag(gateway, "other.example.com")).isEqualTo("ONE");

      apply(WASM_PLUGINS, plugin.formatted(wasm, "two", "two"));
      awaitTag(gateway, "other.example.com", "TWO");
      assertThat(tag(gateway, "shop.example.com")).isEqualTo("ROUTED-TWO");

      client
          .genericKubernetesResources(WASM_PLUGINS)
          .inNamespace("higress-system")
          .withName("p")
          .delete();
      awaitTag(gateway, "other.example.com", "");
    }
  }

  private static void awaitTag(Gateway g, String host, String tag) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      last = tag(g, host);
      if (last.equals(tag)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("still '" + last + "', not '" + tag + "', for " + host);
  }

  /** The x-fixture tag the upstream saw (upper-cased by the plugin on the way back), or "". */
  private static String tag(Gateway g, String host) throws Exception {
    HttpResponse<String> r =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(g.url() + "/echo")).header("host", host).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    for (String line : r.body().lines().toList()) {
      if (line.toLowerCase().startsWith("x-fixture: ")) {
        return line.substring("x-fixture: ".length());
      }
    }
    return "";
  }
}

package io.rustless.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API semantics the operator relies on, through the fabric8 client: status subresource,
 * optimistic concurrency, merge and JSON patches, label selectors, finalizers, watches that resume
 * from a resourceVersion (over websockets and over HTTP), and discovery.
 */
// the watches are held open for the length of their try blocks, not used in them
@SuppressWarnings("try")
class KubeApiSemanticsTest {
  static final Path REPO = Path.of(System.getProperty("rustless.repo", ".."));
  static final String RWPS = "rustless.io/v1alpha1";
  static final String KIND = "RustlessWasmPluginSource";

  static EmbeddedKubeApi api;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    api =
        EmbeddedKubeApi.builder()
            .crd(REPO.resolve("crds/rustlesswasmpluginsources.rustless.io-v1.yml"))
            .crd(REPO.resolve("crds/wasmplugins.extensions.higress.io.yaml"))
            .watchHistory(50)
            .start();
    client = api.client();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static GenericKubernetesResource source(String name) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(RWPS)
        .withKind(KIND)
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .addToLabels("app", name)
        .endMetadata()
        .withAdditionalProperties(
            Map.of(
                "spec",
                Map.of(
                    "source", Map.of("extension", "say-hello"),
                    "image", Map.of("repository", "127.0.0.1:5000/plugins/" + name))))
        .build();
  }

  static io.fabric8.kubernetes.client.dsl.MixedOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      sources() {
    return client.genericKubernetesResources(RWPS, KIND);
  }

  @Test
  void statusIsASubresourceWithItsOwnOptimisticLock() {
    GenericKubernetesResource created =
        sources().inNamespace("default").resource(source("with-status")).create();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    GenericKubernetesResource withStatus =
        sources().inNamespace("default").withName("with-status").get();
    withStatus.setAdditionalProperty(
        "status", Map.of("phase", "Building", "observedGeneration", 1));
    GenericKubernetesResource updated =
        sources().inNamespace("default").resource(withStatus).updateStatus();
    assertThat(updated.getAdditionalProperties().get("status").toString()).contains("Building");
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(1L);

    // the same, stale, object again: its resourceVersion is no longer current
    withStatus.setAdditionalProperty("status", Map.of("phase", "Ready"));
    assertThatThrownBy(() -> sources().inNamespace("default").resource(withStatus).updateStatus())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

    // a spec update through the main resource leaves status alone and bumps the generation
    GenericKubernetesResource current =
        sources().inNamespace("default").withName("with-status").get();
    current.setAdditionalProperty("status", Map.of("phase", "Tampered"));
    current.setAdditionalProperty(
        "spec",
        Map.of("source", Map.of("extension", "request-block"), "image", Map.of("repository", "r")));
    GenericKubernetesResource after = sources().inNamespace("default").resource(current).update();
    assertThat(after.getAdditionalProperties().get("status").toString()).contains("Building");
    assertThat(after.getMetadata().getGeneration()).isEqualTo(2L);

    // a status patch (what JOSDK's patchStatus sends without SSA)
    GenericKubernetesResource patched =
        sources()
            .inNamespace("default")
            .withName("with-status")
            .subresource("status")
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"phase\":\"Ready\",\"observedGeneration\":2}}");
    assertThat(patched.getAdditionalProperties().get("status").toString()).contains("Ready");
    assertThat(patched.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void aStaleUpdateIs409AndAFreshOneWins() {
    sources().inNamespace("default").resource(source("occ")).create();
    GenericKubernetesResource a = sources().inNamespace("default").withName("occ").get();
    GenericKubernetesResource b = sources().inNamespace("default").withName("occ").get();
    a.getMetadata().getLabels().put("writer", "a");
    sources().inNamespace("default").resource(a).update();
    b.getMetadata().getLabels().put("writer", "b");
    assertThatThrownBy(() -> sources().inNamespace("default").resource(b).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
            });
    // the retry the operator does: read again, change again, write
    GenericKubernetesResource fresh = sources().inNamespace("default").withName("occ").get();
    fresh.getMetadata().getLabels().put("writer", "b");
    assertThat(sources().inNamespace("default").resource(fresh).update().getMetadata().getLabels())
        .containsEntry("writer", "b");
    assertThatThrownBy(() -> sources().inNamespace("default").resource(source("occ")).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void mergeAndJsonPatchesApply() {
    client
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("patched")
                .endMetadata()
                .addToData("a", "1")
                .addToData("b", "2")
                .build())
        .create();
    ConfigMap merged =
        client
            .configMaps()
            .inNamespace("default")
            .withName("patched")
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"a\":\"10\",\"b\":null}}");
    assertThat(merged.getData()).containsExactly(Map.entry("a", "10"));
    ConfigMap jsonPatched =
        client
            .configMaps()
            .inNamespace("default")
            .withName("patched")
            .patch(
                PatchContext.of(PatchType.JSON),
                "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"10\"},"
                    + "{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"}]");
    assertThat(jsonPatched.getData()).containsEntry("c", "3");
    assertThatThrownBy(
            () ->
                client
                    .configMaps()
                    .inNamespace("default")
                    .withName("patched")
                    .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"nope\"}]"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    // strategic merge (kubectl's patch for built-in kinds) is applied as a merge patch
    ConfigMap strategic =
        client
            .configMaps()
            .inNamespace("default")
            .withName("patched")
            .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"data\":{\"d\":\"4\"}}");
    assertThat(strategic.getData()).containsEntry("d", "4").containsEntry("c", "3");
    // server-side apply is refused with a message, not mangled
    assertThatThrownBy(
            () ->
                client
                    .configMaps()
                    .inNamespace("default")
                    .withName("patched")
                    .patch(
                        PatchContext.of(PatchType.SERVER_SIDE_APPLY), "{\"data\":{\"e\":\"5\"}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(415);
              assertThat(e.getMessage()).contains("server-side apply");
            });
  }

  @Test
  void labelSelectorsFilterListsAndWatches() throws Exception {
    for (String n : List.of("l1", "l2", "l3")) {
      client
          .configMaps()
          .inNamespace("default")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(n)
                  .addToLabels("tier", n.equals("l3") ? "back" : "front")
                  .endMetadata()
                  .build())
          .create();
    }
    assertThat(
            client.configMaps().inNamespace("default").withLabel("tier", "front").list().getItems())
        .extracting(c -> c.getMetadata().getName())
        .containsExactlyInAnyOrder("l1", "l2");
    assertThat(
            client
                .configMaps()
                .inNamespace("default")
                .withLabelSelector("tier!=front")
                .list()
                .getItems())
        .extracting(c -> c.getMetadata().getName())
        .contains("l3")
        .doesNotContain("l1", "l2");
    List<String> seen = new CopyOnWriteArrayList<>();
    try (var w =
        client.configMaps().inNamespace("default").withLabel("tier", "back").watch(watcher(seen))) {
      client
          .configMaps()
          .inNamespace("default")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("l4")
                  .addToLabels("tier", "front")
                  .endMetadata()
                  .build())
          .create();
      client
          .configMaps()
          .inNamespace("default")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("l5")
                  .addToLabels("tier", "back")
                  .endMetadata()
                  .build())
          .create();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(seen).contains("ADDED l5"));
      assertThat(seen).doesNotContain("ADDED l4", "ADDED l1");
    }
  }

  static <T extends io.fabric8.kubernetes.api.model.HasMetadata> Watcher<T> watcher(
      List<String> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        seen.add(action + " " + resource.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {
        seen.add("CLOSED " + (cause == null ? "" : cause.getMessage()));
      }
    };
  }

  @Test
  void aFinalizerHoldsADeletionUntilItIsRemoved() {
    GenericKubernetesResource s = source("finalized");
    s.getMetadata().setFinalizers(List.of("rustless.io/cleanup"));
    sources().inNamespace("default").resource(s).create();
    List<String> seen = new CopyOnWriteArrayList<>();
    try (var w = sources().inNamespace("default").withName("finalized").watch(watcher(seen))) {
      sources().inNamespace("default").withName("finalized").delete();
      GenericKubernetesResource terminating =
          sources().inNamespace("default").withName("finalized").get();
      assertThat(terminating).isNotNull();
      assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotBlank();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(seen).contains("MODIFIED finalized"));
      sources()
          .inNamespace("default")
          .withName("finalized")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
      assertThat(sources().inNamespace("default").withName("finalized").get()).isNull();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(seen).contains("DELETED finalized"));
    }
  }

  @Test
  void aWatchResumesFromAResourceVersionAndAnExpiredOneIs410() throws Exception {
    sources().inNamespace("default").resource(source("resume")).create();
    String rv =
        sources()
            .inNamespace("default")
            .withName("resume")
            .get()
            .getMetadata()
            .getResourceVersion();
    sources()
        .inNamespace("default")
        .withName("resume")
        .edit(
            r -> {
              r.getMetadata().getLabels().put("step", "2");
              return r;
            });
    HttpClient http = HttpClient.newHttpClient();
    URI uri =
        URI.create(
            api.url()
                + "/apis/rustless.io/v1alpha1/namespaces/default/rustlesswasmpluginsources"
                + "?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dresume&resourceVersion="
                + rv);
    HttpResponse<String> resumed =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(resumed.statusCode()).isEqualTo(200);
    assertThat(resumed.body().lines().toList())
        .hasSize(1)
        .allMatch(l -> l.startsWith("{\"type\":\"MODIFIED\"") && l.contains("\"step\":\"2\""));

    // more changes than the history keeps (50): resuming from before them is too old
    for (int i = 0; i < 60; i++) {
      int n = i;
      client
          .configMaps()
          .inNamespace("default")
          .resource(
              new ConfigMapBuilder().withNewMetadata().withName("churn-" + n).endMetadata().build())
          .create();
    }
    HttpResponse<String> expired =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(expired.body())
        .contains("\"type\":\"ERROR\"")
        .contains("\"code\":410")
        .contains("Expired");

    // the fabric8 informer relists after a 410 and still converges
    GenericKubernetesResource last = sources().inNamespace("default").withName("resume").get();
    assertThat(last.getMetadata().getLabels()).containsEntry("step", "2");
  }

  @Test
  void fabric8WatchesWorkOverHttpToo() throws Exception {
    try (KubernetesClient httpOnly =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(api.config()).withOnlyHttpWatches(true).build())
            .build()) {
      List<String> seen = new CopyOnWriteArrayList<>();
      try (var w = httpOnly.batch().v1().jobs().inNamespace("default").watch(watcher(seen))) {
        Job job =
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace("default")
                .resource(
                    new JobBuilder()
                        .withNewMetadata()
                        .withName("build-g1")
                        .endMetadata()
                        .withNewSpec()
                        .withNewTemplate()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("build")
                        .withImage("builder")
                        .endContainer()
                        .withRestartPolicy("Never")
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace("default")
            .resource(job)
            .editStatus(
                j -> {
                  j.setStatus(new JobStatusBuilder().withSucceeded(1).build());
                  return j;
                });
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> assertThat(seen).containsSubsequence("ADDED build-g1", "MODIFIED build-g1"));
      }
    }
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace("default")
                .withName("build-g1")
                .get()
                .getStatus()
                .getSucceeded())
        .isEqualTo(1);
  }

  @Test
  void theOperatorsKindsAreDiscoverable() {
    assertThat(client.getApiResources("rustless.io/v1alpha1").getResources())
        .anySatisfy(
            r -> {
              assertThat(r.getName()).isEqualTo("rustlesswasmpluginsources");
              assertThat(r.getShortNames()).containsExactly("rwps");
              assertThat(r.getNamespaced()).isTrue();
              assertThat(r.getKind()).isEqualTo(KIND);
            })
        .anySatisfy(r -> assertThat(r.getName()).isEqualTo("rustlesswasmpluginsources/status"));
    assertThat(client.getApiResources("extensions.higress.io/v1alpha1").getResources())
        .extracting(r -> r.getName())
        .contains("wasmplugins", "wasmplugins/status");
    assertThat(client.getApiGroups().getGroups())
        .extracting(g -> g.getName())
        .contains(
            "batch",
            "networking.k8s.io",
            "coordination.k8s.io",
            "rustless.io",
            "extensions.higress.io");
    // leader election's Lease and the operator's Events are plain CRUD
    client
        .leases()
        .inNamespace("default")
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName("rustless-operator-lease")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("me")
                .endSpec()
                .build())
        .create();
    assertThat(
            client
                .leases()
                .inNamespace("default")
                .withName("rustless-operator-lease")
                .get()
                .getSpec()
                .getHolderIdentity())
        .isEqualTo("me");
    assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.30.0");
  }
}

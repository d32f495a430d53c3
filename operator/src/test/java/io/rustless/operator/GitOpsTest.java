package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.ExtensionSource;
import io.rustless.operator.customresource.GitSource;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.git.GitHttpServer;
import io.rustless.operator.git.SmartHttpResolver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What GitOps tools and their users need: suspend, reconcile on request, moving branches, no drift.
 */
class GitOpsTest extends MockClusterTest {

  @Test
  void suspendStopsBuildsAndPublishingUntilResumed() {
    startOperator();
    var source = greeter("paused", Map.of("name", "A"));
    source.getSpec().setSuspend(true);
    create(source);

    var suspended =
        awaitSource("paused", condition(Conditions.READY, Conditions.FALSE, "Suspended"));
    assertThat(suspended.getStatus().getObservedGeneration()).isEqualTo(1);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(() -> jobs().isEmpty());

    editSpec("paused", spec -> spec.setSuspend(false));
    succeed(awaitJob("paused", 1), digest('a'));
    awaitSource("paused", ready());

    // Suspended while serving: a config change is not published, and Ready stays as it was.
    editSpec(
        "paused",
        spec -> {
          spec.setSuspend(true);
          spec.getWasmPlugin().setDefaultConfig(Map.of("name", "B"));
        });
    awaitSource("paused", s -> s.getStatus().getObservedGeneration() == 3 && ready().test(s));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                "A"
                    .equals(
                        wasmPlugin("paused")
                            .orElseThrow()
                            .getSpec()
                            .getDefaultConfig()
                            .get("name")));

    editSpec("paused", spec -> spec.setSuspend(false));
    awaitWasmPlugin("paused", w -> "B".equals(w.getSpec().getDefaultConfig().get("name")));
  }

  @Test
  void exhaustedRetriesStallUntilAReconcileIsRequested() {
    config.buildMaxAttempts(1).buildRetryBase(Duration.ofMillis(100));
    startOperator();
    create(greeter("flaky", Map.of("name", "A")));
    fail(awaitJob("flaky", 1), "[ERROR] network unreachable", false);

    var stalled =
        awaitSource("flaky", condition(Conditions.STALLED, Conditions.TRUE, "RetriesExhausted"));
    assertThat(stalled.getStatus().condition(Conditions.READY).orElseThrow().getReason())
        .isEqualTo("BuildFailed");
    assertThat(stalled.getStatus().condition(Conditions.RECONCILING)).isEmpty();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(() -> jobs().size() == 1);

    client
        .resources(RustlessWasmPluginSource.class)
        .inNamespace(NS)
        .withName("flaky")
        .edit(
            s -> {
              s.getMetadata()
                  .getAnnotations()
                  .put(Names.REQUESTED_AT_ANNOTATION, "2026-12-04T10:00:00Z");
              return s;
            });

    Job retry = awaitJob("flaky", 2);
    var handled =
        awaitSource(
            "flaky", s -> "2026-12-04T10:00:00Z".equals(s.getStatus().getLastHandledReconcileAt()));
    assertThat(handled.getMetadata().getGeneration()).isEqualTo(1);
    assertThat(handled.getStatus().condition(Conditions.STALLED)).isEmpty();
    succeed(retry, digest('9'));
    awaitSource("flaky", ready());
  }

  @Test
  void aBranchIsBuiltAtItsCommitAndANewCommitRebuilds() throws Exception {
    gitResolver = new SmartHttpResolver(Duration.ofSeconds(10));
    try (var repo = GitHttpServer.start(null)) {
      startOperator();
      var source = greeter("tracking", Map.of("anything", 1));
      var git = new GitSource(repo.url(), "main", "extensions/greeter");
      git.setInterval("1s");
      source.getSpec().setSource(new ExtensionSource(null, git));
      create(source);

      String first = repo.head();
      Job job1 = awaitJob("tracking", 1);
      assertThat(job1.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
          .containsSubsequence("--revision", first);
      succeed(job1, digest('1'));
      var ready = awaitSource("tracking", ready());
      assertThat(ready.getStatus().getResolvedCommit()).isEqualTo(first);

      String second = repo.commit("second");
      Job job2 = awaitNewJob(job1);
      assertThat(job2.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
          .containsSubsequence("--revision", second);
      succeed(job2, digest('2'));
      var rebuilt =
          awaitSource(
              "tracking",
              s -> ready().test(s) && digest('2').equals(s.getStatus().getLastGoodDigest()));
      assertThat(rebuilt.getStatus().getResolvedCommit()).isEqualTo(second);
      assertThat(rebuilt.getMetadata().getGeneration()).isEqualTo(1);
    }
  }

  @Test
  void aBranchThatCannotBeResolvedIsRetriedAndSaysWhy() throws Exception {
    gitResolver = new SmartHttpResolver(Duration.ofSeconds(10));
    try (var repo = GitHttpServer.start("bot:t0ken")) {
      startOperator();
      var source = greeter("private", Map.of("anything", 1));
      source.getSpec().setSource(new ExtensionSource(null, new GitSource(repo.url(), "main", ".")));
      create(source);

      var s =
          awaitSource(
              "private", condition(Conditions.BUILT, Conditions.FALSE, "RevisionNotResolved"));
      assertThat(s.getStatus().condition(Conditions.BUILT).orElseThrow().getMessage())
          .contains("HTTP 401")
          .contains("spec.source.git.secretRef");
      assertThat(s.getStatus().condition(Conditions.RECONCILING).orElseThrow().getReason())
          .isEqualTo("ProgressingWithRetry");
      assertThat(jobs()).isEmpty();
    }
  }

  @Test
  void aPrivateBranchResolvesWithItsSecretWhenTheOperatorMayReadIt() throws Exception {
    gitResolver = new SmartHttpResolver(Duration.ofSeconds(10));
    config.readGitSecrets(true);
    try (var repo = GitHttpServer.start("bot:t0ken")) {
      client
          .secrets()
          .inNamespace(NS)
          .resource(
              new io.fabric8.kubernetes.api.model.SecretBuilder()
                  .withNewMetadata()
                  .withName("git-token")
                  .withNamespace(NS)
                  .endMetadata()
                  .withType("kubernetes.io/basic-auth")
                  .withStringData(Map.of("username", "bot", "password", "t0ken"))
                  .build())
          .create();
      startOperator();
      var source = greeter("private", Map.of("anything", 1));
      var git = new GitSource(repo.url(), "main", ".");
      git.setSecretRef(new io.rustless.operator.customresource.SecretReference("git-token"));
      source.getSpec().setSource(new ExtensionSource(null, git));
      create(source);

      Job job = awaitJob("private", 1);
      assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
          .containsSubsequence("--revision", repo.head())
          .doesNotContain("t0ken");
      assertThat(job.getSpec().getTemplate().getSpec().getVolumes())
          .anySatisfy(v -> assertThat(v.getName()).isEqualTo("git-credentials"));
    }
  }

  @Test
  void reapplyingTheSameManifestsWritesNothingTheOperatorOwns() throws Exception {
    startOperator();
    var manifests =
        List.of(
            greeter("one", Map.of("name", "A"), domainRule("a.example.com", Map.of("name", "L"))),
            greeter("two", Map.of("name", "B")));
    for (var m : manifests) {
      create(m);
    }
    succeed(awaitJob("one", 1), digest('1'));
    succeed(awaitJob("two", 1), digest('2'));
    awaitSource("one", ready());
    awaitSource("two", ready());
    drainWrites();

    // What a GitOps tool does on every sync: apply the same objects again.
    for (int round = 0; round < 5; round++) {
      for (var m : manifests) {
        var fresh = greeter(m.getMetadata().getName(), Map.of());
        fresh.setSpec(m.getSpec());
        client.resource(fresh).createOr(existing -> existing.patch());
      }
    }
    Thread.sleep(2000);

    int operatorWrites =
        drain(
            r ->
                !"GET".equals(r.getMethod())
                    && !r.getPath()
                        .matches(
                            "/apis/rustless.io/v1alpha1/namespaces/team-a/rustlesswasmpluginsources(/(one|two))?(\\?.*)?"));
    assertThat(operatorWrites).isZero();
    assertThat(get("one").getMetadata().getGeneration()).isEqualTo(1);
    assertThat(jobs()).hasSize(2);
  }

  @Test
  void theOperatorWritesOnlyStatusNeverTheSpecAndNeverServerSideApply() throws Exception {
    startOperator();
    drain(r -> true);
    create(greeter("s", Map.of("name", "A"), domainRule("a.example.com", Map.of("name", "L"))));
    succeed(awaitJob("s", 1), digest('a'));
    awaitSource("s", ready());
    editSpec("s", spec -> spec.getWasmPlugin().setDefaultConfig(Map.of("name", "B")));
    awaitWasmPlugin("s", w -> "B".equals(w.getSpec().getDefaultConfig().get("name")));

    var writes = new java.util.ArrayList<io.fabric8.mockwebserver.http.RecordedRequest>();
    drain(
        r -> {
          if (fromOperator(r) && !"GET".equals(r.getMethod())) {
            writes.add(r);
          }
          return false;
        });
    // The operator's writes to the source go to /status only.
    assertThat(writes)
        .filteredOn(r -> r.getPath().contains("/rustlesswasmpluginsources/s"))
        .filteredOn(r -> !r.getPath().contains("/rustlesswasmpluginsources/s/status"))
        .isEmpty();
    assertThat(writes)
        .filteredOn(r -> r.getPath().contains("/rustlesswasmpluginsources/s/status"))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.getMethod()).isEqualTo("PUT"));
    assertThat(writes)
        .allSatisfy(
            r ->
                assertThat(String.valueOf(r.getHeader("Content-Type")))
                    .doesNotContain("apply-patch"));
  }

  @Test
  void aConflictingStatusWriteIsReadAgainAndRetried() {
    startOperator();
    create(greeter("contended", Map.of("name", "A")));
    Job job = awaitJob("contended", 1);
    awaitSource("contended", condition(Conditions.BUILT, Conditions.UNKNOWN, "Building"));
    // Someone else wrote the source in between: the operator's next status PUT gets a 409.
    server
        .expect()
        .put()
        .withPath(
            "/apis/rustless.io/v1alpha1/namespaces/team-a/rustlesswasmpluginsources/contended/status")
        .andReturn(
            409,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":409}")
        .once();

    succeed(job, digest('c'));

    awaitSource("contended", ready());
    assertThat(wasmPlugin("contended")).isPresent();
  }
}

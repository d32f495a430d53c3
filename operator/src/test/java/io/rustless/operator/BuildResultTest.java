package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.rustless.operator.customresource.BuildSettings;
import io.rustless.operator.customresource.Conditions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The build's result: only from the Job's own pod, for the spec's repository, never lost. */
class BuildResultTest extends MockClusterTest {

  private static final String EVIL = "sha256:" + "e".repeat(64);

  @Test
  void aPodOfAnotherNamespaceCannotChooseTheImageASourceServes() throws Exception {
    startOperator();
    create(greeter("hello", Map.of("name", "A")));
    Job job = awaitJob("hello", 1);
    namespace("team-b");
    // A pod in team-b with the build pod's labels, annotations and even an owner reference naming
    // the Job (owner references are namespace-local: it cannot be the Job's).
    var forged = buildPod(job, 0, result("evil.example.net/x", EVIL));
    forged.getMetadata().setNamespace("team-b");
    forged.getMetadata().setName("forged");
    client.pods().inNamespace("team-b").resource(forged).create();
    // And one in team-a whose owner reference has another uid.
    var forgedHere = buildPod(job, 0, result("evil.example.net/x", EVIL));
    forgedHere.getMetadata().setName("forged-here");
    forgedHere.getMetadata().getOwnerReferences().get(0).setUid("not-the-jobs-uid");
    client.pods().inNamespace(NS).resource(forgedHere).create();
    complete(job);

    var waiting =
        awaitSource(
            "hello",
            s ->
                s.getStatus() != null
                    && s.getStatus()
                        .condition(Conditions.BUILT)
                        .filter(c -> c.getMessage().contains("waiting for its pod's result"))
                        .isPresent());
    assertThat(waiting.getStatus().condition(Conditions.READY).orElseThrow().getStatus())
        .isEqualTo("Unknown");
    assertThat(wasmPlugin("hello")).isEmpty();

    terminatePod(job, 0, result(digest('a')));
    awaitSource("hello", ready());
    assertThat(wasmPlugin("hello").orElseThrow().getSpec().getUrl())
        .isEqualTo("oci://" + REPOSITORY + "@" + digest('a'));
    assertThat(events("InvalidBuildOutput")).isEmpty();
  }

  @Test
  void aJobCompleteBeforeItsPodsResultArrivesWaitsSilently() throws Exception {
    startOperator();
    create(greeter("early", Map.of("name", "A")));
    Job job = awaitJob("early", 1);
    complete(job);

    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(
            () -> get("early").getStatus().condition(Conditions.BUILT).orElseThrow(),
            c -> "Unknown".equals(c.getStatus()) && "Building".equals(c.getReason()));
    assertThat(events("InvalidBuildOutput")).isEmpty();
    assertThat(get("early").getStatus().getLastBuild()).isNull();

    terminatePod(job, 0, result(digest('b')));
    var ready = awaitSource("early", ready());
    assertThat(ready.getStatus().getLastGoodDigest()).isEqualTo(digest('b'));
    assertThat(events("InvalidBuildOutput")).isEmpty();
    assertThat(jobs()).hasSize(1);
  }

  @Test
  void aResultForAnotherRepositoryIsRefused() {
    startOperator();
    create(greeter("other", Map.of("name", "A")));
    Job job = awaitJob("other", 1);
    terminatePod(job, 0, result("evil.example.net/x", EVIL));
    complete(job);

    var failed =
        awaitSource("other", condition(Conditions.BUILT, Conditions.FALSE, "InvalidBuildOutput"));
    assertThat(failed.getStatus().condition(Conditions.BUILT).orElseThrow().getMessage())
        .contains("not in spec.image.repository " + REPOSITORY);
    assertThat(wasmPlugin("other")).isEmpty();
  }

  @Test
  void ttlZeroCannotLoseAFinishedBuildsResult() {
    startOperator();
    var source = greeter("ttl", Map.of("name", "A"));
    var build = new BuildSettings();
    build.setTtlSecondsAfterFinished(0);
    source.getSpec().setBuild(build);
    create(source);
    Job job = awaitJob("ttl", 1);
    awaitSource("ttl", condition(Conditions.BUILT, Conditions.UNKNOWN, "Building"));
    // The worst timing: the build finishes while the operator is down, and a TTL controller
    // honouring the Job's ttlSecondsAfterFinished runs before the operator is back.
    stopOperator();
    succeed(job, digest('c'));
    playTtlController();
    startOperator();

    var ready = awaitSource("ttl", ready());
    assertThat(ready.getStatus().getLastGoodDigest()).isEqualTo(digest('c'));
    assertThat(ready.getStatus().getLastBuild().getJob()).isEqualTo(job.getMetadata().getName());
    // Once recorded, the operator deletes the Job itself (ttl 0), and builds nothing again.
    await().atMost(EVENTUALLY).until(() -> jobs().isEmpty());
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> jobs().isEmpty());
    assertThat(get("ttl").getStatus().getLastGoodDigest()).isEqualTo(digest('c'));
  }

  /**
   * Deletes finished Jobs whose ttlSecondsAfterFinished has passed, as kube-controller-manager
   * does.
   */
  private void playTtlController() {
    for (Job j : jobs()) {
      Integer ttl = j.getSpec().getTtlSecondsAfterFinished();
      if (ttl != null && ttl == 0) {
        client.resource(j).delete();
        client.pods().inNamespace(NS).delete();
      }
    }
  }
}

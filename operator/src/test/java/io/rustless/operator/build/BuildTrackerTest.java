package io.rustless.operator.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.rustless.operator.Names;
import io.rustless.operator.customresource.BuildRecord;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.RustlessWasmPluginSourceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The build decision, without a cluster: Jobs and pods as the Job controller and kubelet leave
 * them.
 */
class BuildTrackerTest {

  private static final String REPO = "r.io/x";
  private static final BuildKey KEY = BuildKey.of(new SourceRef.Extension("x"), "1", "b:1", REPO);
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String NS = "team-a";

  private final BuildTracker tracker =
      new BuildTracker(new Backoff(Duration.ofMinutes(1), Duration.ofHours(1)), 4);

  private static Job job(int attempt, long generation, String outcome) {
    return job(attempt, generation, outcome, null);
  }

  private static Job job(int attempt, long generation, String outcome, Instant finished) {
    String name = "src-" + KEY.hex().substring(0, 10) + "-" + attempt;
    var b =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .withUid("uid-" + name)
            .withAnnotations(
                Map.of(
                    Names.BUILD_KEY_ANNOTATION, KEY.hex(),
                    Names.ATTEMPT_ANNOTATION, String.valueOf(attempt),
                    Names.GENERATION_ANNOTATION, String.valueOf(generation)))
            .endMetadata();
    if (outcome != null) {
      b.withNewStatus()
          .withConditions(
              new JobConditionBuilder()
                  .withType(outcome)
                  .withStatus("True")
                  .withLastTransitionTime(finished == null ? null : finished.toString())
                  .build())
          .endStatus();
    }
    return b.build();
  }

  /** A pod the Job owns (uid), in its namespace, with the build container terminated. */
  private static Pod pod(Job job, String message) {
    return pod(job, message, NS, job.getMetadata().getUid());
  }

  private static Pod pod(Job job, String message, String namespace, String ownerUid) {
    var template = new java.util.HashMap<String, String>();
    template.put(Names.BUILD_JOB_LABEL, job.getMetadata().getName());
    return new PodBuilder()
        .withNewMetadata()
        .withName(job.getMetadata().getName() + "-p")
        .withNamespace(namespace)
        .withLabels(template)
        .withAnnotations(job.getMetadata().getAnnotations())
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withKind("Job")
                .withApiVersion("batch/v1")
                .withName(job.getMetadata().getName())
                .withUid(ownerUid)
                .withController(true)
                .build())
        .endMetadata()
        .withNewStatus()
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName("build")
                .withState(
                    new ContainerStateBuilder()
                        .withNewTerminated()
                        .withMessage(message)
                        .endTerminated()
                        .build())
                .build())
        .endStatus()
        .build();
  }

  private static String result(String repository, String digest) {
    return "{\"digest\":\""
        + digest
        + "\",\"reference\":\""
        + repository
        + "@"
        + digest
        + "\",\"size\":7}";
  }

  private static RustlessWasmPluginSourceStatus status() {
    return new RustlessWasmPluginSourceStatus();
  }

  private BuildState decide(
      long generation,
      Collection<Job> jobs,
      Collection<Pod> pods,
      RustlessWasmPluginSourceStatus s,
      Instant now) {
    return tracker.decide(
        new BuildTracker.Request(KEY, REPO, generation, jobs, pods, s, false, now));
  }

  @Test
  void noJobMeansStartTheFirstAttempt() {
    var state = decide(1, List.of(), List.of(), status(), NOW);

    assertThat(state).isEqualTo(new BuildState.Start(1, Optional.empty(), Optional.empty()));
  }

  @Test
  void lastGoodBuildOfThisKeyMeansNothingToDo() {
    var s = status();
    s.setLastGoodBuildKey(KEY.hex());
    s.setLastGoodDigest(DIGEST);

    assertThat(decide(5, List.of(job(1, 1, "Failed")), List.of(), s, NOW))
        .isInstanceOf(BuildState.UpToDate.class);
  }

  @Test
  void succeededJobYieldsTheDigestFromItsPod() {
    Job job = job(1, 1, "Complete");

    var state = decide(1, List.of(job), List.of(pod(job, result(REPO, DIGEST))), status(), NOW);

    assertThat(state)
        .isInstanceOfSatisfying(
            BuildState.Succeeded.class,
            s -> {
              assertThat(s.output().digest()).isEqualTo(DIGEST);
              assertThat(s.record().getResult()).isEqualTo("Succeeded");
              assertThat(s.record().getFinishedAt()).isEqualTo("2026-01-01T12:00:00Z");
            });
  }

  @Test
  void aPodTheJobDoesNotOwnIsIgnoredWhateverItsLabels() {
    Job job = job(1, 1, "Complete", NOW);
    String evil = "sha256:" + "e".repeat(64);
    // Same labels and annotations, another namespace; or same namespace but another owner uid.
    var forgedElsewhere =
        pod(job, result("evil.example.net/x", evil), "team-b", job.getMetadata().getUid());
    var forgedOwner = pod(job, result("evil.example.net/x", evil), NS, "someone-else");

    var state = decide(1, List.of(job), List.of(forgedElsewhere, forgedOwner), status(), NOW);

    // Neither counts: the real pod's result has not arrived, so the build waits.
    assertThat(state).isInstanceOf(BuildState.Waiting.class);
  }

  @Test
  void aResultForAnotherRepositoryIsNotPublished() {
    Job job = job(1, 1, "Complete");

    var state =
        decide(
            1,
            List.of(job),
            List.of(pod(job, result("evil.example.net/x", DIGEST))),
            status(),
            NOW);

    assertThat(state)
        .isInstanceOfSatisfying(
            BuildState.Failed.class,
            f -> {
              assertThat(f.failure().reason()).isEqualTo("InvalidBuildOutput");
              assertThat(f.failure().message())
                  .contains("evil.example.net/x@" + DIGEST)
                  .contains("not in spec.image.repository r.io/x");
            });
  }

  @Test
  void aCompleteJobWhosePodResultHasNotArrivedWaitsThenGivesUpAfterTheGrace() {
    Job job = job(1, 1, "Complete", NOW);

    var early = decide(1, List.of(job), List.of(), status(), NOW.plusSeconds(5));
    var late =
        decide(
            1,
            List.of(job),
            List.of(),
            status(),
            NOW.plus(BuildTracker.RESULT_GRACE).plusSeconds(1));

    assertThat(early)
        .isInstanceOfSatisfying(
            BuildState.Waiting.class,
            w -> assertThat(w.giveUpIn()).isEqualTo(BuildTracker.RESULT_GRACE.minusSeconds(5)));
    assertThat(late)
        .isInstanceOfSatisfying(
            BuildState.Failed.class,
            f -> assertThat(f.failure().message()).contains("no pod of it reported a result"));
  }

  @Test
  void succeededJobWithoutAResultIsAFailedBuild() {
    Job job = job(1, 1, "Complete");

    var state = decide(1, List.of(job), List.of(pod(job, "done!")), status(), NOW);

    assertThat(state)
        .isInstanceOfSatisfying(
            BuildState.Failed.class,
            f -> {
              assertThat(f.failure().reason()).isEqualTo("InvalidBuildOutput");
              assertThat(f.failure().message()).contains("done!");
            });
  }

  @Test
  void failedJobWaitsForItsBackoffThenRetries() {
    Job job = job(2, 1, "Failed");
    var s = status();

    var first = decide(1, List.of(job), List.of(pod(job, "BOOM")), s, NOW);
    assertThat(first)
        .isInstanceOfSatisfying(
            BuildState.Failed.class,
            f -> {
              // attempt 2 failed: 1 min * 2^(2-1)
              assertThat(f.retryIn()).isEqualTo(Duration.ofMinutes(2));
              assertThat(f.failure().message()).endsWith("BOOM");
              s.setLastBuild(f.record());
            });

    var later = decide(1, List.of(job), List.of(), s, NOW.plusSeconds(60));
    assertThat(later)
        .isInstanceOfSatisfying(
            BuildState.Failed.class, f -> assertThat(f.retryIn()).isEqualTo(Duration.ofMinutes(1)));

    var due = decide(1, List.of(job), List.of(), s, NOW.plusSeconds(120));
    assertThat(due)
        .isInstanceOfSatisfying(
            BuildState.Start.class, st -> assertThat(st.attempt()).isEqualTo(3));
  }

  @Test
  void afterTheLastAttemptItGivesUpUntilASpecChangeOrARequest() {
    Job job = job(4, 1, "Failed");

    var gaveUp =
        decide(1, List.of(job), List.of(pod(job, "BOOM")), status(), NOW.plusSeconds(7200));
    var changed = decide(2, List.of(job), List.of(pod(job, "BOOM")), status(), NOW);
    var requested =
        tracker.decide(
            new BuildTracker.Request(
                KEY, REPO, 1, List.of(job), List.of(pod(job, "BOOM")), status(), true, NOW));

    assertThat(gaveUp)
        .isInstanceOfSatisfying(
            BuildState.GaveUp.class, g -> assertThat(g.attempts()).isEqualTo(4));
    assertThat(changed)
        .isInstanceOfSatisfying(
            BuildState.Start.class, st -> assertThat(st.attempt()).isEqualTo(5));
    assertThat(requested)
        .isInstanceOfSatisfying(
            BuildState.Start.class, st -> assertThat(st.attempt()).isEqualTo(5));
  }

  @Test
  void specChangeRetriesAFailedBuildAtOnce() {
    Job job = job(1, 4, "Failed");

    var state = decide(5, List.of(job), List.of(), status(), NOW);

    assertThat(state)
        .isInstanceOfSatisfying(
            BuildState.Start.class,
            st -> {
              assertThat(st.attempt()).isEqualTo(2);
              assertThat(st.previous()).isPresent();
            });
  }

  @Test
  void statusRemembersAFailureAfterTheJobIsGone() {
    var s = status();
    s.setLastBuild(new BuildRecord("gone", KEY.hex(), 1, 3L, "Failed", "2026-01-01T11:59:30Z"));
    Conditions.set(s, Conditions.BUILT, Conditions.FALSE, "BuildTimedOut", "timed out", 3L, NOW);

    var waiting = decide(3, List.of(), List.of(), s, NOW);
    var changed = decide(4, List.of(), List.of(), s, NOW);

    assertThat(waiting)
        .isInstanceOfSatisfying(
            BuildState.Failed.class,
            f -> {
              assertThat(f.retryIn()).isEqualTo(Duration.ofSeconds(30));
              assertThat(f.failure().reason()).isEqualTo("BuildTimedOut");
            });
    assertThat(changed)
        .isInstanceOfSatisfying(
            BuildState.Start.class, st -> assertThat(st.attempt()).isEqualTo(2));
  }

  @Test
  void theNewestAttemptDecides() {
    var state = decide(1, List.of(job(1, 1, "Failed"), job(2, 1, null)), List.of(), status(), NOW);

    assertThat(state).isEqualTo(new BuildState.Running(job(2, 1, null).getMetadata().getName(), 2));
  }
}

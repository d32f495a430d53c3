package io.rustless.operator.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildTrackerTest {

  private static final BuildKey KEY =
      BuildKey.of(new SourceRef.Extension("x"), "1", "b:1", "r.io/x");
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final String DIGEST = "sha256:" + "a".repeat(64);

  private final BuildTracker tracker =
      new BuildTracker(new Backoff(Duration.ofMinutes(1), Duration.ofHours(1)));

  private static Job job(int attempt, long generation, String outcome) {
    var b =
        new JobBuilder()
            .withNewMetadata()
            .withName("src-" + KEY.hex().substring(0, 10) + "-" + attempt)
            .withAnnotations(
                Map.of(
                    Names.BUILD_KEY_ANNOTATION, KEY.hex(),
                    Names.ATTEMPT_ANNOTATION, String.valueOf(attempt),
                    Names.GENERATION_ANNOTATION, String.valueOf(generation)))
            .endMetadata();
    if (outcome != null) {
      b.withNewStatus()
          .withConditions(new JobConditionBuilder().withType(outcome).withStatus("True").build())
          .endStatus();
    }
    return b.build();
  }

  private static Pod pod(Job job, String message) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(job.getMetadata().getName() + "-p")
        .withLabels(Map.of(Names.BUILD_JOB_LABEL, job.getMetadata().getName()))
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

  private static RustlessWasmPluginSourceStatus status() {
    return new RustlessWasmPluginSourceStatus();
  }

  @Test
  void noJobMeansStartTheFirstAttempt() {
    var state = tracker.decide(KEY, 1, List.of(), List.of(), status(), NOW);

    assertThat(state)
        .isEqualTo(new BuildState.Start(1, java.util.Optional.empty(), java.util.Optional.empty()));
  }

  @Test
  void lastGoodBuildOfThisKeyMeansNothingToDo() {
    var s = status();
    s.setLastGoodBuildKey(KEY.hex());
    s.setLastGoodDigest(DIGEST);

    assertThat(tracker.decide(KEY, 5, List.of(job(1, 1, "Failed")), List.of(), s, NOW))
        .isInstanceOf(BuildState.UpToDate.class);
  }

  @Test
  void succeededJobYieldsTheDigestFromItsPod() {
    Job job = job(1, 1, "Complete");
    String message =
        "{\"digest\":\"" + DIGEST + "\",\"reference\":\"r.io/x@" + DIGEST + "\",\"size\":7}";

    var state = tracker.decide(KEY, 1, List.of(job), List.of(pod(job, message)), status(), NOW);

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
  void succeededJobWithoutAResultIsAFailedBuild() {
    Job job = job(1, 1, "Complete");

    var state = tracker.decide(KEY, 1, List.of(job), List.of(pod(job, "done!")), status(), NOW);

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

    var first = tracker.decide(KEY, 1, List.of(job), List.of(pod(job, "BOOM")), s, NOW);
    assertThat(first)
        .isInstanceOfSatisfying(
            BuildState.Failed.class,
            f -> {
              // attempt 2 failed: 1 min * 2^(2-1)
              assertThat(f.retryIn()).isEqualTo(Duration.ofMinutes(2));
              assertThat(f.failure().message()).endsWith("BOOM");
              s.setLastBuild(f.record());
            });

    var later = tracker.decide(KEY, 1, List.of(job), List.of(), s, NOW.plusSeconds(60));
    assertThat(later)
        .isInstanceOfSatisfying(
            BuildState.Failed.class, f -> assertThat(f.retryIn()).isEqualTo(Duration.ofMinutes(1)));

    var due = tracker.decide(KEY, 1, List.of(job), List.of(), s, NOW.plusSeconds(120));
    assertThat(due)
        .isInstanceOfSatisfying(
            BuildState.Start.class, st -> assertThat(st.attempt()).isEqualTo(3));
  }

  @Test
  void specChangeRetriesAFailedBuildAtOnce() {
    Job job = job(1, 4, "Failed");

    var state = tracker.decide(KEY, 5, List.of(job), List.of(), status(), NOW);

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

    var waiting = tracker.decide(KEY, 3, List.of(), List.of(), s, NOW);
    var changed = tracker.decide(KEY, 4, List.of(), List.of(), s, NOW);

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
    var state =
        tracker.decide(
            KEY, 1, List.of(job(1, 1, "Failed"), job(2, 1, null)), List.of(), status(), NOW);

    assertThat(state).isEqualTo(new BuildState.Running(job(2, 1, null).getMetadata().getName(), 2));
  }
}

package io.rustless.operator.build;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.rustless.operator.customresource.BuildRecord;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.Reasons;
import io.rustless.operator.customresource.RustlessWasmPluginSourceStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Optional;

/**
 * Decides, from the observed Jobs and pods and the last status, what the build of the current key
 * needs. Pure: no API calls, so an operator restart reaches the same decision from the same world.
 * The caller passes only Jobs owned by the source and pods of the cluster; pods count only when
 * owned by the Job (see {@link BuildJobs#buildResult}).
 */
public final class BuildTracker {

  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";

  /** How long a finished Job may wait for its pod's result before the build counts as failed. */
  public static final Duration RESULT_GRACE = Duration.ofMinutes(2);

  private final Backoff backoff;
  private final int maxAttempts;

  /**
   * @param maxAttempts attempts per build key before giving up (0: never give up)
   */
  public BuildTracker(Backoff backoff, int maxAttempts) {
    this.backoff = backoff;
    this.maxAttempts = maxAttempts;
  }

  /** What is asked of one decision. */
  public record Request(
      BuildKey key,
      String repository,
      long generation,
      Collection<Job> jobs,
      Collection<Pod> pods,
      RustlessWasmPluginSourceStatus status,
      boolean retryRequested,
      Instant now) {}

  public BuildState decide(Request r) {
    var status = r.status();
    if (r.key().hex().equals(status.getLastGoodBuildKey()) && status.getLastGoodDigest() != null) {
      return new BuildState.UpToDate();
    }
    Optional<Job> latest = BuildJobs.latestFor(r.jobs(), r.key());
    if (latest.isPresent()) {
      Job job = latest.get();
      String name = job.getMetadata().getName();
      int attempt = BuildJobs.attempt(job);
      return switch (BuildJobs.phase(job)) {
        case RUNNING -> new BuildState.Running(name, attempt);
        case SUCCEEDED -> succeeded(job, r);
        case FAILED -> failed(job, r);
      };
    }
    // No Job for this key (never started, or deleted after its result was recorded).
    BuildRecord last = status.getLastBuild();
    if (last != null
        && r.key().hex().equals(last.getBuildKey())
        && FAILED.equals(last.getResult())) {
      return retryOrWait(last.getJob(), recordedFailure(status), last, r);
    }
    return new BuildState.Start(1, Optional.empty(), Optional.empty());
  }

  private BuildState succeeded(Job job, Request r) {
    String name = job.getMetadata().getName();
    Optional<ContainerStateTerminated> result = BuildJobs.buildResult(job, r.pods());
    if (result.isEmpty()) {
      Optional<BuildState> waiting = waiting(job, r.now());
      if (waiting.isPresent()) {
        return waiting.get();
      }
    }
    Optional<String> message = BuildJobs.terminationMessage(job, r.pods());
    Optional<BuildOutput> output = message.flatMap(BuildOutput::parse);
    if (output.isEmpty()) {
      var failure =
          new BuildState.Failure(
              Reasons.INVALID_BUILD_OUTPUT,
              result.isEmpty()
                  ? "build Job "
                      + name
                      + " succeeded but no pod of it reported a result within "
                      + RESULT_GRACE.toMinutes()
                      + " min"
                  : message
                      .map(
                          m ->
                              "the build succeeded but its termination message is not the result"
                                  + " JSON: "
                                  + m)
                      .orElse("the build succeeded but left no termination message"));
      return retryOrWait(name, failure, record(job, r.key(), FAILED, r), r);
    }
    if (!output.get().repository().equals(r.repository())) {
      var failure =
          new BuildState.Failure(
              Reasons.INVALID_BUILD_OUTPUT,
              "build Job "
                  + name
                  + " reported "
                  + output.get().image()
                  + ", which is not in spec.image.repository "
                  + r.repository()
                  + "; it is not published");
      return retryOrWait(name, failure, record(job, r.key(), FAILED, r), r);
    }
    return new BuildState.Succeeded(name, output.get(), record(job, r.key(), SUCCEEDED, r));
  }

  private BuildState failed(Job job, Request r) {
    String name = job.getMetadata().getName();
    if (BuildJobs.buildResult(job, r.pods()).isEmpty()) {
      Optional<BuildState> waiting = waiting(job, r.now());
      if (waiting.isPresent()) {
        return waiting.get();
      }
    }
    boolean timedOut = BuildJobs.timedOut(job);
    String log =
        BuildJobs.terminationMessage(job, r.pods())
            .or(() -> BuildJobs.failedCondition(job).map(c -> c.getMessage()))
            .orElse("no log: the build pod left no termination message");
    boolean registry =
        !timedOut
            && BuildJobs.exitCode(job, r.pods())
                .filter(c -> c == BuildJobSpec.REGISTRY_EXIT_CODE)
                .isPresent();
    var failure =
        timedOut
            ? new BuildState.Failure(
                Reasons.BUILD_TIMED_OUT,
                "build Job " + name + " timed out; last log lines:\n" + log)
            : registry
                ? new BuildState.Failure(
                    Reasons.PUSH_FAILED,
                    "build Job " + name + " could not push; last log lines:\n" + log)
                : new BuildState.Failure(
                    Reasons.BUILD_FAILED, "build Job " + name + " failed; last log lines:\n" + log);
    return retryOrWait(name, failure, record(job, r.key(), FAILED, r), r);
  }

  /** Waiting for the pod's result, while within the grace after the Job finished. */
  private static Optional<BuildState> waiting(Job job, Instant now) {
    return BuildJobs.finishedAt(job)
        .map(finished -> Duration.between(now, finished.plus(RESULT_GRACE)))
        .filter(left -> !left.isNegative() && !left.isZero())
        .map(
            left ->
                new BuildState.Waiting(job.getMetadata().getName(), BuildJobs.attempt(job), left));
  }

  private BuildState retryOrWait(
      String job, BuildState.Failure failure, BuildRecord record, Request r) {
    int attempt = record.getAttempt() == null ? 1 : record.getAttempt();
    long startedAt = record.getGeneration() == null ? 0 : record.getGeneration();
    if (startedAt < r.generation() || r.retryRequested()) {
      return new BuildState.Start(attempt + 1, Optional.of(failure), Optional.of(record));
    }
    if (maxAttempts > 0 && attempt >= maxAttempts) {
      return new BuildState.GaveUp(job, failure, record, attempt);
    }
    Duration wait = remaining(record, attempt, r.now());
    if (wait.isZero()) {
      return new BuildState.Start(attempt + 1, Optional.of(failure), Optional.of(record));
    }
    return new BuildState.Failed(job, failure, record, wait);
  }

  private Duration remaining(BuildRecord record, int attempt, Instant now) {
    Instant finished = parse(record.getFinishedAt()).orElse(now);
    Duration wait = Duration.between(now, finished.plus(backoff.after(attempt)));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /**
   * The record of a finished Job. Its time is when the operator first saw it finish, kept from the
   * status afterwards so that the status does not change while nothing happens.
   */
  private static BuildRecord record(Job job, BuildKey key, String result, Request r) {
    String name = job.getMetadata().getName();
    BuildRecord last = r.status().getLastBuild();
    String finishedAt =
        last != null && name.equals(last.getJob()) && result.equals(last.getResult())
            ? last.getFinishedAt()
            : r.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new BuildRecord(
        name, key.hex(), BuildJobs.attempt(job), BuildJobs.generation(job), result, finishedAt);
  }

  private static BuildState.Failure recordedFailure(RustlessWasmPluginSourceStatus status) {
    return status
        .condition(Conditions.BUILT)
        .filter(
            c ->
                Conditions.FALSE.equals(c.getStatus()) || Reasons.PUSH_FAILED.equals(c.getReason()))
        .map(c -> new BuildState.Failure(c.getReason(), c.getMessage()))
        .orElse(new BuildState.Failure(Reasons.BUILD_FAILED, "the previous build failed"));
  }

  private static Optional<Instant> parse(String time) {
    if (time == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "BuildTracker[" + backoff + ", maxAttempts=" + maxAttempts + "]";
  }
}

package io.rustless.operator.build;

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
import java.util.Objects;
import java.util.Optional;

/**
 * Decides, from the observed Jobs and pods and the last status, what the build of the current key
 * needs. Pure: no API calls, so an operator restart reaches the same decision from the same world.
 */
public final class BuildTracker {

  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";

  private final Backoff backoff;

  public BuildTracker(Backoff backoff) {
    this.backoff = backoff;
  }

  public BuildState decide(
      BuildKey key,
      long generation,
      Collection<Job> jobs,
      Collection<Pod> pods,
      RustlessWasmPluginSourceStatus status,
      Instant now) {
    if (key.hex().equals(status.getLastGoodBuildKey()) && status.getLastGoodDigest() != null) {
      return new BuildState.UpToDate();
    }
    Optional<Job> latest = BuildJobs.latestFor(jobs, key);
    if (latest.isPresent()) {
      Job job = latest.get();
      String name = job.getMetadata().getName();
      int attempt = BuildJobs.attempt(job);
      return switch (BuildJobs.phase(job)) {
        case RUNNING -> new BuildState.Running(name, attempt);
        case SUCCEEDED -> succeeded(job, pods, status, key, generation, now);
        case FAILED -> failed(job, pods, status, key, generation, now);
      };
    }
    // No Job for this key (never started, or deleted by its TTL): the status remembers failures.
    BuildRecord last = status.getLastBuild();
    if (last != null && key.hex().equals(last.getBuildKey()) && FAILED.equals(last.getResult())) {
      var failure = recordedFailure(status);
      return retryOrWait(last.getJob(), failure, last, generation, now);
    }
    return new BuildState.Start(1, Optional.empty(), Optional.empty());
  }

  private BuildState succeeded(
      Job job,
      Collection<Pod> pods,
      RustlessWasmPluginSourceStatus status,
      BuildKey key,
      long generation,
      Instant now) {
    String name = job.getMetadata().getName();
    Optional<String> message = BuildJobs.terminationMessage(job, pods);
    Optional<BuildOutput> output = message.flatMap(BuildOutput::parse);
    if (output.isEmpty()) {
      var failure =
          new BuildState.Failure(
              Reasons.INVALID_BUILD_OUTPUT,
              message
                  .map(
                      m ->
                          "the build succeeded but its termination message is not the result JSON: "
                              + m)
                  .orElse("the build succeeded but left no termination message"));
      BuildRecord record = record(job, key, FAILED, status, now);
      // A bad result is a failed build for retries: same backoff.
      return retryOrWait(name, failure, record, generation, now);
    }
    return new BuildState.Succeeded(name, output.get(), record(job, key, SUCCEEDED, status, now));
  }

  private BuildState failed(
      Job job,
      Collection<Pod> pods,
      RustlessWasmPluginSourceStatus status,
      BuildKey key,
      long generation,
      Instant now) {
    String name = job.getMetadata().getName();
    boolean timedOut = BuildJobs.timedOut(job);
    String log =
        BuildJobs.terminationMessage(job, pods)
            .or(() -> BuildJobs.failedCondition(job).map(c -> c.getMessage()))
            .orElse("no log: the build pod left no termination message");
    boolean registry =
        !timedOut
            && BuildJobs.exitCode(job, pods)
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
    BuildRecord record = record(job, key, FAILED, status, now);
    return retryOrWait(name, failure, record, generation, now);
  }

  private BuildState retryOrWait(
      String job, BuildState.Failure failure, BuildRecord record, long generation, Instant now) {
    int attempt = record.getAttempt() == null ? 1 : record.getAttempt();
    long startedAt = record.getGeneration() == null ? 0 : record.getGeneration();
    Duration wait = remaining(record, attempt, now);
    if (startedAt < generation || wait.isZero()) {
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
  private static BuildRecord record(
      Job job, BuildKey key, String result, RustlessWasmPluginSourceStatus status, Instant now) {
    String name = job.getMetadata().getName();
    BuildRecord last = status.getLastBuild();
    String finishedAt =
        last != null && name.equals(last.getJob()) && result.equals(last.getResult())
            ? last.getFinishedAt()
            : now.truncatedTo(ChronoUnit.SECONDS).toString();
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

  /** For tests and logs. */
  @Override
  public String toString() {
    return "BuildTracker" + Objects.toString(backoff);
  }
}

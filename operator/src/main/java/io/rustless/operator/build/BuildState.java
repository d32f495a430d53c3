package io.rustless.operator.build;

import io.rustless.operator.customresource.BuildRecord;
import java.time.Duration;
import java.util.Optional;

/** Where the build for the current build key stands. Decided by {@link BuildTracker}. */
public sealed interface BuildState {

  /** The last good build has this key: nothing to build. */
  record UpToDate() implements BuildState {}

  /**
   * Start a build Job: the first attempt, or a retry after the failed build {@code previous} (whose
   * record is {@code previousRecord}).
   */
  record Start(int attempt, Optional<Failure> previous, Optional<BuildRecord> previousRecord)
      implements BuildState {}

  /** A build Job was created just now (from a {@link Start}). */
  record Started(
      String job, int attempt, Optional<Failure> previous, Optional<BuildRecord> previousRecord)
      implements BuildState {}

  /**
   * A build that should start waits for a slot: {@code maxConcurrent} builds run already (decided
   * by the reconciler from a {@link Start}).
   */
  record Queued(Start start, int maxConcurrent) implements BuildState {}

  /** A build Job for this key is running. */
  record Running(String job, int attempt) implements BuildState {}

  /**
   * The Job finished but its pod's result has not reached the operator yet (the Job controller and
   * the kubelet report separately): wait, silently, at most {@code giveUpIn}.
   */
  record Waiting(String job, int attempt, Duration giveUpIn) implements BuildState {}

  /** The Job succeeded and wrote a valid result for the spec's repository. */
  record Succeeded(String job, BuildOutput output, BuildRecord record) implements BuildState {}

  /** The Job failed; the next attempt waits {@code retryIn} unless the spec changes. */
  record Failed(String job, Failure failure, BuildRecord record, Duration retryIn)
      implements BuildState {}

  /**
   * The Job failed and {@code attempts} attempts were made, the most allowed: no retry until the
   * spec changes or a reconcile is requested (the source is Stalled).
   */
  record GaveUp(String job, Failure failure, BuildRecord record, int attempts)
      implements BuildState {}

  /**
   * Why a build failed.
   *
   * @param reason condition reason: BuildFailed, BuildTimedOut, InvalidBuildOutput or PushFailed
   * @param message the last lines of the build's log, or what was wrong with its output
   */
  record Failure(String reason, String message) {}
}

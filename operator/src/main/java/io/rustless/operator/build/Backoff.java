package io.rustless.operator.build;

import java.time.Duration;

/**
 * Delay before retrying a failed build whose spec did not change: {@code base * 2^(attempt-1)},
 * capped.
 *
 * @param base delay after the first failure
 * @param max the cap
 */
public record Backoff(Duration base, Duration max) {

  public Duration after(int failedAttempt) {
    int doublings = Math.max(0, Math.min(failedAttempt - 1, 30));
    Duration d = base.multipliedBy(1L << doublings);
    return d.compareTo(max) > 0 ? max : d;
  }
}

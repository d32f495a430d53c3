package io.rustless.operator.git;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Branch and tag revisions resolved to commits, each at most once per interval (sources naming the
 * same repository and revision share the answer). A revision that is a commit id is taken as is.
 */
public final class Revisions {

  /** 7 to 64 hex digits: a commit id, possibly abbreviated (the builder resolves those). */
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");

  /** How soon a failed resolution is tried again, at most. */
  private static final Duration RETRY_FAILED = Duration.ofMinutes(1);

  /** The answer for one revision. */
  public sealed interface Resolution {

    /**
     * @param commit the commit to build
     * @param recheckIn when to resolve again; empty for a revision that is a commit
     */
    record Commit(String commit, Optional<Duration> recheckIn) implements Resolution {}

    /**
     * @param message why, without credentials
     * @param retryIn when to try again
     */
    record Failed(String message, Duration retryIn) implements Resolution {}
  }

  private record Key(String repository, String revision, String credentials) {}

  private record Entry(Resolution.Commit commit, Resolution.Failed failure, Instant at) {}

  private final GitRevisionResolver resolver;
  private final Clock clock;
  private final Map<Key, Entry> cache = new ConcurrentHashMap<>();

  public Revisions(GitRevisionResolver resolver, Clock clock) {
    this.resolver = resolver;
    this.clock = clock;
  }

  /** Whether {@code revision} is taken as a commit id (no resolution). */
  public static boolean isCommit(String revision) {
    return COMMIT.matcher(revision).matches();
  }

  /**
   * @param credentialsId identifies the credentials (e.g. {@code namespace/secret}) so sources with
   *     different access do not share answers
   * @param force resolve now even if the cached answer is fresh (a reconcile request)
   */
  public Resolution resolve(
      String repository,
      String revision,
      String credentialsId,
      Duration interval,
      boolean force,
      Supplier<Optional<GitCredentials>> credentials) {
    if (isCommit(revision)) {
      return new Resolution.Commit(revision, Optional.empty());
    }
    Instant now = clock.instant();
    var key = new Key(repository, revision, credentialsId == null ? "" : credentialsId);
    Entry cached = cache.get(key);
    if (cached != null && !force) {
      if (cached.commit() != null) {
        Duration left = Duration.between(now, cached.at().plus(interval));
        if (!left.isNegative() && !left.isZero()) {
          return new Resolution.Commit(cached.commit().commit(), Optional.of(left));
        }
      } else {
        Duration left = Duration.between(now, cached.at().plus(retry(interval)));
        if (!left.isNegative() && !left.isZero()) {
          return new Resolution.Failed(cached.failure().message(), left);
        }
      }
    }
    try {
      String commit = resolver.resolve(repository, revision, credentials.get());
      var result = new Resolution.Commit(commit, Optional.of(interval));
      cache.put(key, new Entry(result, null, now));
      return result;
    } catch (GitResolveException e) {
      var result = new Resolution.Failed(e.getMessage(), retry(interval));
      cache.put(key, new Entry(null, result, now));
      return result;
    }
  }

  private static Duration retry(Duration interval) {
    return interval.compareTo(RETRY_FAILED) < 0 ? interval : RETRY_FAILED;
  }
}

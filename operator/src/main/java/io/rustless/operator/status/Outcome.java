package io.rustless.operator.status;

import io.rustless.operator.build.BuildState;
import io.rustless.operator.git.Revisions;
import io.rustless.operator.validation.Admission;
import java.time.Instant;
import java.util.Optional;

/**
 * What one reconcile found and did, as the status calculation needs it.
 *
 * @param generation the spec generation reconciled
 * @param now the reconcile's time
 * @param suspended {@code spec.suspend}: nothing else was looked at
 * @param verdict admission's verdict (null when suspended)
 * @param resolution a git revision's resolution (empty for catalogue extensions)
 * @param build the build's state (null when not admitted or not resolved)
 * @param publication what serves now (null when suspended)
 * @param handledRequest the {@code rustless.io/requested-at} value acted on, if any
 */
public record Outcome(
    long generation,
    Instant now,
    boolean suspended,
    Admission.Verdict verdict,
    Optional<Revisions.Resolution> resolution,
    BuildState build,
    Publication publication,
    Optional<String> handledRequest) {

  public static Outcome suspended(long generation, Instant now, Optional<String> request) {
    return new Outcome(generation, now, true, null, Optional.empty(), null, null, request);
  }
}

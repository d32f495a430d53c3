package io.rustless.operator.status;

import io.rustless.operator.build.BuildState;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.Reasons;
import io.rustless.operator.customresource.RustlessWasmPluginSourceStatus;
import io.rustless.operator.git.Revisions;
import io.rustless.operator.validation.Admission;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The status of a source as a pure function of its previous status and what one reconcile found
 * ({@link Outcome}). Conditions follow kstatus: {@code Ready} True when the current spec is served,
 * Unknown while work is in progress, False on failure; {@code Reconciling} (present only while
 * true) when progress or a retry is pending; {@code Stalled} (likewise) when nothing will change
 * without a new spec, policy or reconcile request. An unchanged world gives an equal status.
 */
public final class StatusCalculator {

  private StatusCalculator() {}

  public static RustlessWasmPluginSourceStatus next(
      RustlessWasmPluginSourceStatus previous, Outcome o) {
    var s = RustlessWasmPluginSourceStatus.copyOf(previous);
    long gen = o.generation();
    Instant now = o.now();
    s.setObservedGeneration(gen);
    o.handledRequest().ifPresent(s::setLastHandledReconcileAt);
    if (o.suspended()) {
      return suspended(s, gen, now);
    }
    if (o.verdict() instanceof Admission.Verdict.Rejected rejected) {
      Conditions.set(
          s,
          Conditions.CONFIG_VALID,
          Conditions.FALSE,
          rejected.reason(),
          rejected.message(),
          gen,
          now);
      published(s, o.publication(), gen, now);
      String message = "generation " + gen + " is not deployed: " + rejected.message();
      Conditions.set(s, Conditions.READY, Conditions.FALSE, rejected.reason(), message, gen, now);
      stalled(s, rejected.reason(), message, gen, now);
      return s;
    }
    var admitted = (Admission.Verdict.Admitted) o.verdict();
    Conditions.set(
        s,
        Conditions.CONFIG_VALID,
        Conditions.TRUE,
        admitted.configReason(),
        admitted.configMessage(),
        gen,
        now);
    Optional<Revisions.Resolution> resolution = o.resolution();
    if (resolution.isPresent() && resolution.get() instanceof Revisions.Resolution.Failed f) {
      String message = "cannot resolve the git revision: " + f.message();
      Conditions.set(
          s, Conditions.BUILT, Conditions.FALSE, Reasons.REVISION_NOT_RESOLVED, message, gen, now);
      published(s, o.publication(), gen, now);
      Conditions.set(
          s, Conditions.READY, Conditions.FALSE, Reasons.REVISION_NOT_RESOLVED, message, gen, now);
      reconciling(
          s,
          Reasons.PROGRESSING_WITH_RETRY,
          "the revision is resolved again shortly (at most every minute)",
          gen,
          now);
      return s;
    }
    resolution
        .filter(Revisions.Resolution.Commit.class::isInstance)
        .map(r -> ((Revisions.Resolution.Commit) r).commit())
        .ifPresent(s::setResolvedCommit);
    s.setBuildKey(admitted.inputs().key().hex());
    built(s, o.build(), gen, now);
    published(s, o.publication(), gen, now);
    pushFailed(s, o.build(), o.publication(), gen, now);
    summary(s, o.build(), o.publication(), gen, now);
    return s;
  }

  /** Status after a reconcile error, before JOSDK retries it (or gives up: Stalled). */
  public static RustlessWasmPluginSourceStatus error(
      RustlessWasmPluginSourceStatus previous,
      long generation,
      String message,
      boolean lastAttempt,
      Instant now) {
    var s = RustlessWasmPluginSourceStatus.copyOf(previous);
    String text = "reconcile failed: " + message;
    Conditions.set(
        s, Conditions.READY, Conditions.FALSE, Reasons.RECONCILE_ERROR, text, generation, now);
    if (lastAttempt) {
      stalled(s, Reasons.RETRIES_EXHAUSTED, text + " (retries exhausted)", generation, now);
    } else {
      reconciling(s, Reasons.PROGRESSING_WITH_RETRY, "retrying: " + message, generation, now);
    }
    return s;
  }

  private static RustlessWasmPluginSourceStatus suspended(
      RustlessWasmPluginSourceStatus s, long gen, Instant now) {
    Conditions.remove(s, Conditions.RECONCILING);
    Conditions.remove(s, Conditions.STALLED);
    if (!Conditions.isTrue(s, Conditions.READY)) {
      Conditions.set(
          s,
          Conditions.READY,
          Conditions.FALSE,
          Reasons.SUSPENDED,
          "reconciliation is suspended (spec.suspend); nothing is built or published",
          gen,
          now);
    }
    return s;
  }

  private static void built(
      RustlessWasmPluginSourceStatus s, BuildState build, long gen, Instant now) {
    if (build instanceof BuildState.UpToDate u) {
      s.setDigest(s.getLastGoodDigest());
      s.setCurrentBuildJob(null);
      Conditions.set(
          s,
          Conditions.BUILT,
          Conditions.TRUE,
          Reasons.SUCCEEDED,
          "built " + s.getLastGoodImage(),
          gen,
          now);

    } else if (build instanceof BuildState.Started st) {
      st.previousRecord().ifPresent(s::setLastBuild);
      s.setDigest(null);
      s.setCurrentBuildJob(st.job());
      building(
          s,
          Reasons.BUILDING,
          running(st.job(), st.attempt())
              + st.previous().map(f -> "; the previous attempt failed: " + f.reason()).orElse(""),
          gen,
          now);

    } else if (build instanceof BuildState.Running r) {
      s.setDigest(null);
      s.setCurrentBuildJob(r.job());
      building(s, Reasons.BUILDING, running(r.job(), r.attempt()), gen, now);

    } else if (build instanceof BuildState.Waiting w) {
      s.setDigest(null);
      s.setCurrentBuildJob(w.job());
      building(
          s,
          Reasons.BUILDING,
          "build Job "
              + w.job()
              + " (attempt "
              + w.attempt()
              + ") finished; waiting for its pod's result",
          gen,
          now);

    } else if (build instanceof BuildState.Queued q) {
      q.start().previousRecord().ifPresent(s::setLastBuild);
      s.setDigest(null);
      s.setCurrentBuildJob(null);
      building(
          s,
          Reasons.BUILD_QUEUED,
          "waiting for a build slot: at most "
              + q.maxConcurrent()
              + " builds run at once (operator setting maxConcurrentBuilds)",
          gen,
          now);

    } else if (build instanceof BuildState.Start st) {
      throw new IllegalStateException("a Start is applied before the status: " + st);

    } else if (build instanceof BuildState.Succeeded ok) {
      s.setLastBuild(ok.record());
      s.setDigest(ok.output().digest());
      s.setLastGoodDigest(ok.output().digest());
      s.setLastGoodImage(ok.output().image());
      s.setLastGoodBuildKey(s.getBuildKey());
      s.setCurrentBuildJob(null);
      Conditions.set(
          s,
          Conditions.BUILT,
          Conditions.TRUE,
          Reasons.SUCCEEDED,
          "built " + ok.output().image(),
          gen,
          now);

    } else if (build instanceof BuildState.Failed f) {
      s.setLastBuild(f.record());
      s.setDigest(null);
      s.setCurrentBuildJob(null);
      Conditions.set(
          s,
          Conditions.BUILT,
          builtStatus(f.failure()),
          f.failure().reason(),
          f.failure().message(),
          gen,
          now);

    } else if (build instanceof BuildState.GaveUp g) {
      s.setLastBuild(g.record());
      s.setDigest(null);
      s.setCurrentBuildJob(null);
      Conditions.set(
          s,
          Conditions.BUILT,
          builtStatus(g.failure()),
          g.failure().reason(),
          g.failure().message(),
          gen,
          now);
    }
  }

  /** A push the registry refused or could not take says nothing about the build itself. */
  private static String builtStatus(BuildState.Failure failure) {
    return isPushFailure(failure) ? Conditions.UNKNOWN : Conditions.FALSE;
  }

  private static boolean isPushFailure(BuildState.Failure failure) {
    return Reasons.PUSH_FAILED.equals(failure.reason());
  }

  /** A failed push is Published=False with the registry's answer (and what keeps serving). */
  private static void pushFailed(
      RustlessWasmPluginSourceStatus s, BuildState build, Publication p, long gen, Instant now) {
    Optional<BuildState.Failure> failure =
        build instanceof BuildState.Failed f
            ? Optional.of(f.failure())
            : build instanceof BuildState.GaveUp g ? Optional.of(g.failure()) : Optional.empty();
    failure
        .filter(StatusCalculator::isPushFailure)
        .ifPresent(
            f ->
                Conditions.set(
                    s,
                    Conditions.PUBLISHED,
                    Conditions.FALSE,
                    Reasons.PUSH_FAILED,
                    f.message()
                        + (p instanceof Publication.ServingPrevious prev
                            ? "\nWasmPlugin "
                                + prev.wasmPlugin()
                                + " keeps serving "
                                + prev.digest()
                            : ""),
                    gen,
                    now));
  }

  private static String running(String job, int attempt) {
    return "build Job " + job + " (attempt " + attempt + ") is running";
  }

  private static void building(
      RustlessWasmPluginSourceStatus s, String reason, String message, long gen, Instant now) {
    Conditions.set(s, Conditions.BUILT, Conditions.UNKNOWN, reason, message, gen, now);
  }

  private static void published(
      RustlessWasmPluginSourceStatus s, Publication p, long gen, Instant now) {
    if (p instanceof Publication.Published pub) {
      s.setWasmPlugin(pub.wasmPlugin());
      Conditions.set(
          s,
          Conditions.PUBLISHED,
          Conditions.TRUE,
          Reasons.PUBLISHED,
          "WasmPlugin " + pub.wasmPlugin() + " serves " + pub.digest(),
          gen,
          now);

    } else if (p instanceof Publication.ServingPrevious prev) {
      s.setWasmPlugin(prev.wasmPlugin());
      Conditions.set(
          s,
          Conditions.PUBLISHED,
          Conditions.TRUE,
          Reasons.SERVING_PREVIOUS_BUILD,
          "WasmPlugin "
              + prev.wasmPlugin()
              + " keeps serving "
              + prev.digest()
              + " (and its config) until the current spec is built and valid",
          gen,
          now);

    } else if (p instanceof Publication.NotPublished n) {
      s.setWasmPlugin(null);
      Conditions.set(
          s, Conditions.PUBLISHED, Conditions.FALSE, Reasons.NOT_PUBLISHED, n.message(), gen, now);

    } else if (p instanceof Publication.NameTaken t) {
      Conditions.set(
          s,
          Conditions.PUBLISHED,
          Conditions.FALSE,
          Reasons.WASMPLUGIN_NAME_TAKEN,
          "WasmPlugin "
              + t.wasmPlugin()
              + " exists and is not managed by this operator; it is left alone (delete it or"
              + " rename the source)",
          gen,
          now);

    } else if (p instanceof Publication.Revoked r) {
      s.setWasmPlugin(null);
      Conditions.set(
          s, Conditions.PUBLISHED, Conditions.FALSE, Reasons.POLICY_REVOKED, r.message(), gen, now);
    }
  }

  private static void summary(
      RustlessWasmPluginSourceStatus s, BuildState build, Publication p, long gen, Instant now) {
    var built = s.condition(Conditions.BUILT).orElseThrow();
    var published = s.condition(Conditions.PUBLISHED).orElseThrow();
    boolean buildDone = Conditions.TRUE.equals(built.getStatus());
    if (buildDone && p instanceof Publication.Published) {
      Conditions.set(
          s, Conditions.READY, Conditions.TRUE, Reasons.READY, published.getMessage(), gen, now);
      Conditions.remove(s, Conditions.RECONCILING);
      Conditions.remove(s, Conditions.STALLED);
    } else if (build instanceof BuildState.GaveUp g) {
      String message =
          g.failure().message()
              + "\n(gave up after "
              + g.attempts()
              + " attempts: change the spec or set the rustless.io/requested-at annotation to"
              + " retry)";
      Conditions.set(
          s, Conditions.READY, Conditions.FALSE, g.failure().reason(), message, gen, now);
      stalled(
          s,
          Reasons.RETRIES_EXHAUSTED,
          "build gave up after " + g.attempts() + " attempts",
          gen,
          now);
    } else if (build instanceof BuildState.Failed f) {
      Conditions.set(
          s,
          Conditions.READY,
          Conditions.FALSE,
          f.failure().reason(),
          f.failure().message(),
          gen,
          now);
      // An instant, not "in 4m": the message must not change while nothing happens.
      Instant next = now.plus(f.retryIn()).truncatedTo(ChronoUnit.SECONDS);
      reconciling(
          s,
          Reasons.PROGRESSING_WITH_RETRY,
          "build attempt " + (attemptOf(f) + 1) + " at " + next + ", or at once on a spec change",
          gen,
          now);
    } else if (buildDone && p instanceof Publication.NameTaken) {
      Conditions.set(
          s,
          Conditions.READY,
          Conditions.FALSE,
          published.getReason(),
          published.getMessage(),
          gen,
          now);
      stalled(s, published.getReason(), published.getMessage(), gen, now);
    } else {
      // Building, queued, waiting for a result, or built and the WasmPlugin being written.
      String reason = buildDone ? Reasons.PROGRESSING : built.getReason();
      String message = buildDone ? published.getMessage() : built.getMessage();
      Conditions.set(s, Conditions.READY, Conditions.UNKNOWN, reason, message, gen, now);
      reconciling(s, Reasons.PROGRESSING, message, gen, now);
    }
  }

  private static int attemptOf(BuildState.Failed f) {
    return f.record().getAttempt() == null ? 1 : f.record().getAttempt();
  }

  private static void reconciling(
      RustlessWasmPluginSourceStatus s, String reason, String message, long gen, Instant now) {
    Conditions.set(s, Conditions.RECONCILING, Conditions.TRUE, reason, message, gen, now);
    Conditions.remove(s, Conditions.STALLED);
  }

  private static void stalled(
      RustlessWasmPluginSourceStatus s, String reason, String message, long gen, Instant now) {
    Conditions.set(s, Conditions.STALLED, Conditions.TRUE, reason, message, gen, now);
    Conditions.remove(s, Conditions.RECONCILING);
  }
}

package io.rustless.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.operator.OperatorConfig;
import io.rustless.operator.build.BuildInputs;
import io.rustless.operator.build.BuildOutput;
import io.rustless.operator.build.BuildState;
import io.rustless.operator.customresource.BuildRecord;
import io.rustless.operator.customresource.ExtensionSource;
import io.rustless.operator.customresource.ImageTarget;
import io.rustless.operator.customresource.RustlessWasmPluginSourceSpec;
import io.rustless.operator.customresource.RustlessWasmPluginSourceStatus;
import io.rustless.operator.customresource.WasmPluginReference;
import io.rustless.operator.git.Revisions;
import io.rustless.operator.higress.WasmPluginSpec;
import io.rustless.operator.validation.Admission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Build and publish outcomes to conditions, without a cluster. The kstatus contract: Ready True
 * when served, Unknown while in progress (with Reconciling), False on failure; Reconciling while a
 * retry is pending; Stalled when only a change can help.
 */
class StatusCalculatorTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final WasmPluginReference WP = new WasmPluginReference("higress-system", "ns.s");
  private static final String DIGEST = "sha256:" + "a".repeat(64);

  private static final Admission.Verdict.Admitted ADMITTED;

  static {
    var spec = new RustlessWasmPluginSourceSpec();
    spec.setSource(new ExtensionSource("x", null));
    spec.setImage(new ImageTarget("r.io/x", "push"));
    ADMITTED =
        new Admission.Verdict.Admitted(
            BuildInputs.from(spec, OperatorConfig.builder().sdkVersion("1").build()),
            WP,
            new WasmPluginSpec(),
            "Valid",
            "ok");
  }

  private static Outcome outcome(BuildState build, Publication publication) {
    return new Outcome(
        2, NOW, false, ADMITTED, Optional.empty(), build, publication, Optional.empty());
  }

  private static List<String> conditions(RustlessWasmPluginSourceStatus s) {
    return s.getConditions().stream()
        .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .toList();
  }

  private static final BuildRecord RECORD =
      new BuildRecord("job-1", "k", 1, 2L, "Failed", "2026-01-01T11:59:00Z");

  @Test
  void buildingIsReadyUnknownAndReconciling() {
    var s =
        StatusCalculator.next(
            null,
            outcome(new BuildState.Running("job-1", 1), new Publication.NotPublished("none yet")));

    assertThat(conditions(s))
        .containsExactly(
            "ConfigValid=True/Valid",
            "Built=Unknown/Building",
            "Published=False/NotPublished",
            "Ready=Unknown/Building",
            "Reconciling=True/Progressing");
    assertThat(s.getObservedGeneration()).isEqualTo(2);
  }

  @Test
  void queuedSaysSo() {
    var start = new BuildState.Start(1, Optional.empty(), Optional.empty());
    var s =
        StatusCalculator.next(
            null,
            outcome(new BuildState.Queued(start, 10), new Publication.NotPublished("none yet")));

    assertThat(conditions(s)).contains("Built=Unknown/BuildQueued", "Ready=Unknown/BuildQueued");
    assertThat(s.condition("Built").orElseThrow().getMessage())
        .contains("at most 10 builds run at once");
  }

  @Test
  void servedIsReadyWithoutReconcilingOrStalled() {
    var out = new BuildOutput(DIGEST, "r.io/x", 9);
    var ok =
        new BuildState.Succeeded(
            "job-1", out, new BuildRecord("job-1", "k", 1, 2L, "Succeeded", "t"));
    var building =
        StatusCalculator.next(
            null, outcome(new BuildState.Running("job-1", 1), new Publication.NotPublished("x")));

    var s = StatusCalculator.next(building, outcome(ok, new Publication.Published(WP, DIGEST)));

    assertThat(conditions(s))
        .containsExactly(
            "ConfigValid=True/Valid",
            "Built=True/Succeeded",
            "Published=True/Published",
            "Ready=True/Ready");
    assertThat(s.getLastGoodImage()).isEqualTo("r.io/x@" + DIGEST);
  }

  @Test
  void aFailureThatWillBeRetriedIsReadyFalseAndReconcilingWithAStableMessage() {
    var failure = new BuildState.Failure("BuildFailed", "boom");
    var early =
        StatusCalculator.next(
            null,
            outcome(
                new BuildState.Failed("job-1", failure, RECORD, Duration.ofMinutes(1)),
                new Publication.NotPublished("x")));
    var later =
        StatusCalculator.next(
            early,
            new Outcome(
                2,
                NOW.plusSeconds(20),
                false,
                ADMITTED,
                Optional.empty(),
                new BuildState.Failed("job-1", failure, RECORD, Duration.ofSeconds(40)),
                new Publication.NotPublished("x"),
                Optional.empty()));

    assertThat(conditions(early))
        .contains("Ready=False/BuildFailed", "Reconciling=True/ProgressingWithRetry");
    assertThat(early.condition("Reconciling").orElseThrow().getMessage())
        .isEqualTo("build attempt 2 at 2026-01-01T12:01:00Z, or at once on a spec change");
    // Nothing happened but time: nothing to write.
    assertThat(later).isEqualTo(early);
  }

  @Test
  void retriesExhaustedIsStalled() {
    var gaveUp =
        new BuildState.GaveUp("job-6", new BuildState.Failure("BuildFailed", "boom"), RECORD, 6);

    var s = StatusCalculator.next(null, outcome(gaveUp, new Publication.NotPublished("x")));

    assertThat(conditions(s)).contains("Ready=False/BuildFailed", "Stalled=True/RetriesExhausted");
    assertThat(conditions(s)).noneMatch(c -> c.startsWith("Reconciling"));
  }

  @Test
  void aRejectedSpecIsStalledAndTheServingPluginIsReported() {
    var rejected =
        new Admission.Verdict.Rejected(
            "PolicyViolation", "policy rule domain-allowed: …", Optional.of(WP));

    var s =
        StatusCalculator.next(
            null,
            new Outcome(
                3,
                NOW,
                false,
                rejected,
                Optional.empty(),
                null,
                new Publication.ServingPrevious(WP, DIGEST),
                Optional.empty()));

    assertThat(conditions(s))
        .containsExactly(
            "ConfigValid=False/PolicyViolation",
            "Published=True/ServingPreviousBuild",
            "Ready=False/PolicyViolation",
            "Stalled=True/PolicyViolation");
  }

  @Test
  void anUnresolvableRevisionIsRetried() {
    var s =
        StatusCalculator.next(
            null,
            new Outcome(
                1,
                NOW,
                false,
                ADMITTED,
                Optional.of(new Revisions.Resolution.Failed("HTTP 404", Duration.ofMinutes(1))),
                null,
                new Publication.NotPublished("x"),
                Optional.empty()));

    assertThat(conditions(s))
        .contains(
            "Built=False/RevisionNotResolved",
            "Ready=False/RevisionNotResolved",
            "Reconciling=True/ProgressingWithRetry");
  }

  @Test
  void suspendedKeepsAServingReadyAndDropsProgress() {
    var out = new BuildOutput(DIGEST, "r.io/x", 9);
    var ready =
        StatusCalculator.next(
            null,
            outcome(
                new BuildState.Succeeded(
                    "job-1", out, new BuildRecord("job-1", "k", 1, 2L, "Succeeded", "t")),
                new Publication.Published(WP, DIGEST)));

    var suspended = StatusCalculator.next(ready, Outcome.suspended(3, NOW, Optional.empty()));
    var suspendedFresh = StatusCalculator.next(null, Outcome.suspended(1, NOW, Optional.empty()));

    assertThat(conditions(suspended)).contains("Ready=True/Ready");
    assertThat(suspended.getObservedGeneration()).isEqualTo(3);
    assertThat(conditions(suspendedFresh)).containsExactly("Ready=False/Suspended");
  }

  @Test
  void reconcileErrorsRetryThenStall() {
    var retrying = StatusCalculator.error(null, 1, "409 Conflict", false, NOW);
    var stalled = StatusCalculator.error(retrying, 1, "409 Conflict", true, NOW);

    assertThat(conditions(retrying))
        .containsExactly("Ready=False/ReconcileError", "Reconciling=True/ProgressingWithRetry");
    assertThat(conditions(stalled))
        .containsExactly("Ready=False/ReconcileError", "Stalled=True/RetriesExhausted");
  }

  @Test
  void aHandledReconcileRequestIsRecorded() {
    var s =
        StatusCalculator.next(
            null,
            new Outcome(
                1,
                NOW,
                false,
                ADMITTED,
                Optional.empty(),
                new BuildState.Running("j", 1),
                new Publication.NotPublished("x"),
                Optional.of("2026-01-01T11:00:00Z")));

    assertThat(s.getLastHandledReconcileAt()).isEqualTo("2026-01-01T11:00:00Z");
  }
}

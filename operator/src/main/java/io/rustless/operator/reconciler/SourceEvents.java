package io.rustless.operator.reconciler;

import io.rustless.operator.build.BuildState;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.Reasons;
import io.rustless.operator.customresource.RustlessWasmPluginSourceStatus;
import io.rustless.operator.status.Outcome;
import io.rustless.operator.status.Publication;
import io.rustless.operator.validation.Admission;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Kubernetes Events a reconcile's outcome deserves, once per transition (decided against the
 * previous status, so a repeated reconcile sends nothing twice). Waiting for a build's result, or a
 * build in progress, sends nothing.
 */
final class SourceEvents {

  static final String NORMAL = "Normal";
  static final String WARNING = "Warning";

  /** One Event. */
  record Event(String type, String reason, String message) {}

  private SourceEvents() {}

  static List<Event> of(RustlessWasmPluginSourceStatus previous, Outcome o) {
    var out = new ArrayList<Event>();
    var prev = previous == null ? new RustlessWasmPluginSourceStatus() : previous;
    if (o.verdict() instanceof Admission.Verdict.Rejected r) {
      boolean changed =
          prev.condition(Conditions.CONFIG_VALID)
              .map(
                  c ->
                      !Conditions.FALSE.equals(c.getStatus())
                          || !Objects.equals(r.message(), c.getMessage()))
              .orElse(true);
      if (changed) {
        out.add(new Event(WARNING, r.reason(), r.message()));
      }
    }
    if (o.build() instanceof BuildState.Succeeded ok && !ok.record().equals(prev.getLastBuild())) {
      out.add(
          new Event(
              NORMAL,
              "Built",
              "build Job "
                  + ok.job()
                  + " pushed "
                  + ok.output().image()
                  + " ("
                  + ok.output().size()
                  + " bytes of wasm)"));
    }
    if (o.build() instanceof BuildState.Failed f && !f.record().equals(prev.getLastBuild())) {
      out.add(new Event(WARNING, f.failure().reason(), f.failure().message()));
    }
    if (o.build() instanceof BuildState.GaveUp g && !g.record().equals(prev.getLastBuild())) {
      out.add(
          new Event(
              WARNING,
              g.failure().reason(),
              g.failure().message() + " (gave up after " + g.attempts() + " attempts)"));
    }
    if (o.publication() instanceof Publication.Revoked r
        && prev.condition(Conditions.PUBLISHED)
            .map(c -> !Reasons.POLICY_REVOKED.equals(c.getReason()))
            .orElse(true)) {
      out.add(new Event(WARNING, Reasons.POLICY_REVOKED, r.message()));
    }
    return out;
  }
}

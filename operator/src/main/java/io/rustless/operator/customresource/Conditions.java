package io.rustless.operator.customresource;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Condition types of a {@link RustlessWasmPluginSource}, and how they are set. {@code Ready},
 * {@code Reconciling} and {@code Stalled} follow the kstatus conventions (abnormal-true polarity
 * for the last two, which are present only while true), so kstatus-aware tools (Flux, kpt,
 * cli-utils) and the chart's Argo CD health check read progress and failure the same way.
 */
public final class Conditions {

  public static final String CONFIG_VALID = "ConfigValid";
  public static final String BUILT = "Built";
  public static final String PUBLISHED = "Published";
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  /** Condition order in status: the pipeline order, the summary, then the kstatus pair. */
  public static final List<String> TYPES =
      List.of(CONFIG_VALID, BUILT, PUBLISHED, READY, RECONCILING, STALLED);

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private Conditions() {}

  /**
   * Sets a condition, keeping {@code lastTransitionTime} when the status does not change so that an
   * unchanged world gives an unchanged status (and no write).
   */
  public static void set(
      RustlessWasmPluginSourceStatus status,
      String type,
      String value,
      String reason,
      String message,
      Long generation,
      Instant now) {
    var previous = status.condition(type);
    String transition =
        previous
            .filter(p -> value.equals(p.getStatus()) && p.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    var next =
        new ConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build();
    var list = status.getConditions();
    list.removeIf(c -> type.equals(c.getType()));
    list.add(next);
    list.sort((a, b) -> Integer.compare(TYPES.indexOf(a.getType()), TYPES.indexOf(b.getType())));
  }

  /** Removes a condition (Reconciling and Stalled are absent when not true). */
  public static void remove(RustlessWasmPluginSourceStatus status, String type) {
    status.getConditions().removeIf(c -> type.equals(c.getType()));
  }

  public static boolean isTrue(RustlessWasmPluginSourceStatus status, String type) {
    return status.condition(type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  static Condition copy(Condition c) {
    return new ConditionBuilder(c).build();
  }
}

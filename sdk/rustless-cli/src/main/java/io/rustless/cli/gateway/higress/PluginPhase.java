package io.rustless.cli.gateway.higress;

/**
 * {@code spec.phase}: where in the HTTP filter chain a plugin sits. Envoy runs the chain in the
 * order Istio appends the phases, which is not the order of the enum's numbers: AUTHN, AUTHZ, STATS
 * and then UNSPECIFIED_PHASE (higress-group/istio {@code
 * pilot/pkg/networking/core/v1alpha3/listener_builder.go} lines 465–475, {@code
 * extension.PopAppend} once per phase).
 */
public enum PluginPhase {
  UNSPECIFIED_PHASE(3),
  AUTHN(0),
  AUTHZ(1),
  STATS(2);

  private final int chainPosition;

  PluginPhase(int chainPosition) {
    this.chainPosition = chainPosition;
  }

  /** 0 for the phase whose plugins run first. */
  public int chainPosition() {
    return chainPosition;
  }
}

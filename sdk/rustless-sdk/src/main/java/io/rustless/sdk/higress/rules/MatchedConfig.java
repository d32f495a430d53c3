package io.rustless.sdk.higress.rules;

/**
 * The configuration that applies to a request: rule number {@code ruleIndex} of {@code _rules_}, or
 * the global configuration ({@code ruleIndex == -1}).
 */
public record MatchedConfig<C>(int ruleIndex, C config) {
  public static final int GLOBAL = -1;

  /** True if no rule matched and the global configuration applies. */
  public boolean isGlobal() {
    return ruleIndex == GLOBAL;
  }
}

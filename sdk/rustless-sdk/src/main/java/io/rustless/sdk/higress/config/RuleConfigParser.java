package io.rustless.sdk.higress.config;

/**
 * Parses one rule's configuration knowing the global one (null if there is none), so a rule can
 * inherit global fields: Higress's "override" parsing.
 */
@FunctionalInterface
public interface RuleConfigParser<C> {
  C parse(ConfigReader rule, C global);
}

package io.rustless.operator.policy;

/**
 * A broken rule: its name (what the platform team grants or the operator enforces) and what broke
 * it, with the spec path.
 *
 * @param rule e.g. {@code domain-allowed}
 * @param detail e.g. {@code spec.wasmPlugin.matchRules[0].domain[0] "a.example.org" is not granted}
 */
public record Violation(String rule, String detail) {

  @Override
  public String toString() {
    return "policy rule " + rule + ": " + detail;
  }
}

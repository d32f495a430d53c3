package io.rustless.operator.validation;

/**
 * One reason a config does not fit its schema.
 *
 * @param path where, from the WasmPlugin settings, e.g. {@code matchRules[1].config.blocked_code}
 * @param message what is wrong, e.g. {@code must be integer}
 */
public record ConfigError(String path, String message) {

  @Override
  public String toString() {
    return path + ": " + message;
  }
}

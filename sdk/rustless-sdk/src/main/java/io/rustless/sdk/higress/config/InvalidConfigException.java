package io.rustless.sdk.higress.config;

import io.rustless.sdk.RustlessException;

/**
 * The plugin configuration is wrong. The message always starts with the offending field's path
 * (e.g. {@code redis.service_port: expected an integer but got a string}), so the log line that
 * {@code on_configure} writes tells the operator exactly what to fix.
 */
public final class InvalidConfigException extends RustlessException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidConfigException(String field, String problem) {
    super(field.isEmpty() ? problem : field + ": " + problem);
    this.field = field;
  }

  /** The path of the offending field ({@code ""} for the configuration as a whole). */
  public String field() {
    return field;
  }
}

package io.rustless.host;

import io.rustless.sdk.host.LogLevel;

/** One line a plugin logged (through {@code proxy_log}, or WASI stdout/stderr). */
public record LogLine(LogLevel level, String message) {
  @Override
  public String toString() {
    return level + " " + message;
  }
}

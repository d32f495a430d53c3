package io.rustless.testing;

import io.rustless.sdk.host.LogLevel;

/** One line the plugin logged. */
public record LogEntry(LogLevel level, String message) {
  @Override
  public String toString() {
    return level + " " + message;
  }
}

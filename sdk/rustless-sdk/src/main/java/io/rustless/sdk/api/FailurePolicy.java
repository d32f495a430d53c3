package io.rustless.sdk.api;

/**
 * What happens to a stream when a plugin callback throws. The exception is always caught and logged
 * at CRITICAL: a Java exception never becomes a Wasm trap.
 */
public enum FailurePolicy {
  /** Let the request through as if the plugin were absent (the default). */
  FAIL_OPEN,
  /** Answer the client with a local 500 reply; for plugins that guard access. */
  FAIL_CLOSED
}

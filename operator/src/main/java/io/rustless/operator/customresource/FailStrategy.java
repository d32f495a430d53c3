package io.rustless.operator.customresource;

/** What Higress does when the plugin cannot be fetched or its VM fails. */
public enum FailStrategy {
  FAIL_CLOSE,
  FAIL_OPEN
}

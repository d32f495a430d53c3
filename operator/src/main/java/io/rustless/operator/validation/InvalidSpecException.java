package io.rustless.operator.validation;

import io.rustless.operator.RustlessOperatorException;

/** The source's spec cannot be acted on (missing or contradictory fields). */
public final class InvalidSpecException extends RustlessOperatorException {

  private final String reason;

  public InvalidSpecException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The condition reason to report, e.g. {@code InvalidSpec}. */
  public String reason() {
    return reason;
  }
}

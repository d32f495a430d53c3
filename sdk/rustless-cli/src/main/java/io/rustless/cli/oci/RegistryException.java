package io.rustless.cli.oci;

import io.rustless.cli.ExitCode;
import io.rustless.cli.ToolException;

/** The registry refused, could not be reached, or answered something unexpected. */
public final class RegistryException extends ToolException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that react differently (the operator retries UNREACHABLE). */
  public enum Reason {
    UNREACHABLE,
    UNAUTHORIZED,
    DENIED,
    NOT_FOUND,
    PROTOCOL
  }

  private final Reason reason;

  public RegistryException(Reason reason, String message, Throwable cause) {
    super(ExitCode.REGISTRY, message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

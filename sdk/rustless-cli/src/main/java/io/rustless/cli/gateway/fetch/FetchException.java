package io.rustless.cli.gateway.fetch;

import io.rustless.cli.ExitCode;
import io.rustless.cli.ToolException;

/** A module that could not be fetched: unreachable, refused, not found, or not what was pinned. */
public final class FetchException extends ToolException {
  private static final long serialVersionUID = 1L;

  public FetchException(String message) {
    super(ExitCode.REGISTRY, message);
  }

  public FetchException(String message, Throwable cause) {
    super(ExitCode.REGISTRY, message, cause);
  }
}

package io.rustless.cli.gateway.resource;

import io.rustless.cli.ExitCode;
import io.rustless.cli.ToolException;

/** A resource that cannot be read: a file that is not YAML, an object without a name. */
public final class ResourceException extends ToolException {
  private static final long serialVersionUID = 1L;

  public ResourceException(String message) {
    super(ExitCode.USAGE, message);
  }

  public ResourceException(String message, Throwable cause) {
    super(ExitCode.USAGE, message, cause);
  }
}

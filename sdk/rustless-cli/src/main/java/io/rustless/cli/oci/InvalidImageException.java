package io.rustless.cli.oci;

import io.rustless.cli.ExitCode;
import io.rustless.cli.ToolException;

/** The image exists but Higress's fetcher would refuse it, or the module inside would not load. */
public final class InvalidImageException extends ToolException {
  private static final long serialVersionUID = 1L;

  public InvalidImageException(String message) {
    super(ExitCode.INVALID_IMAGE, message);
  }

  public InvalidImageException(String message, Throwable cause) {
    super(ExitCode.INVALID_IMAGE, message, cause);
  }
}

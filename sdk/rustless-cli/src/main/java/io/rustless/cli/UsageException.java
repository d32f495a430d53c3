package io.rustless.cli;

/** Bad input: an unknown extension, a malformed file, a bad image reference or name. */
public final class UsageException extends ToolException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(ExitCode.USAGE, message);
  }

  public UsageException(String message, Throwable cause) {
    super(ExitCode.USAGE, message, cause);
  }
}

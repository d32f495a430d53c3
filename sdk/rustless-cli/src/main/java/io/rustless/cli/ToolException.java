package io.rustless.cli;

/**
 * A failure the user can act on. Its message is the one line the tool prints before it exits with
 * {@link #exitCode()}; the stack trace is shown only with {@code --verbose}.
 */
public class ToolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  public ToolException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public ToolException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}

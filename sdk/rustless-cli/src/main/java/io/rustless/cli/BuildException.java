package io.rustless.cli;

/** Maven, git or the plugin compiler failed; the lines before the message say where. */
public final class BuildException extends ToolException {
  private static final long serialVersionUID = 1L;

  public BuildException(String message) {
    super(ExitCode.BUILD, message);
  }

  public BuildException(String message, Throwable cause) {
    super(ExitCode.BUILD, message, cause);
  }
}

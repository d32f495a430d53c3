package io.rustless.cli;

/** The tool's exit statuses; {@code rustless --help} lists them. */
public enum ExitCode {
  OK(0, "success"),
  INTERNAL(1, "internal error (a bug: run again with --verbose and report the stack trace)"),
  USAGE(2, "bad input: command line, extension name, config file, image reference"),
  BUILD(3, "the build failed"),
  REGISTRY(4, "the registry refused or could not be reached"),
  INVALID_IMAGE(5, "the image or module is not what Higress accepts (verify)"),
  PLUGIN(6, "the plugin refused its configuration or failed to start (run, serve)");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}

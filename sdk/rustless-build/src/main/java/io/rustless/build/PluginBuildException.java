package io.rustless.build;

/** The plugin could not be built; the message says why and, where possible, what to change. */
public final class PluginBuildException extends Exception {
  private static final long serialVersionUID = 1L;

  public PluginBuildException(String message) {
    super(message);
  }

  public PluginBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.rustless.cli.gateway;

/** The plugin's VM failed (trapped) during an event: its failStrategy decides what follows. */
public final class PluginFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PluginFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}

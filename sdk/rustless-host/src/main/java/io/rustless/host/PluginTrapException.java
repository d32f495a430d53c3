package io.rustless.host;

/**
 * The module trapped (or exited) inside a callback: in a gateway this takes the VM down, and every
 * later call into it fails the same way. A plugin built with the SDK should never cause it.
 */
public final class PluginTrapException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PluginTrapException(String message, Throwable cause) {
    super(message, cause);
  }
}

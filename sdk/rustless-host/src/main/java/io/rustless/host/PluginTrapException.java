package io.rustless.testing;

/**
 * The Wasm module trapped (or exited) inside a callback: in a real gateway this takes the VM down.
 * Thrown by {@link TestHost} in Wasm mode; a plugin built with the SDK should never cause it.
 */
public final class PluginTrapException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PluginTrapException(String message, Throwable cause) {
    super(message, cause);
  }
}

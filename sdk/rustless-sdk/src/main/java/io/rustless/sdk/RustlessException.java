package io.rustless.sdk;

/**
 * Root of the SDK's small unchecked exception hierarchy.
 *
 * <p>Host failures are {@link io.rustless.sdk.host.ProxyWasmException}s, bad plugin configuration
 * is {@link io.rustless.sdk.higress.config.InvalidConfigException}. "Not found" is never an
 * exception: it is an empty {@link java.util.Optional}.
 */
public class RustlessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RustlessException(String message) {
    super(message);
  }

  public RustlessException(String message, Throwable cause) {
    super(message, cause);
  }
}

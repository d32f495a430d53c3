package io.rustless.dev;

/** A part of {@code rustless dev} that could not start or a demo step that went wrong. */
public final class DevException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DevException(String message) {
    super(message);
  }

  public DevException(String message, Throwable cause) {
    super(message, cause);
  }
}

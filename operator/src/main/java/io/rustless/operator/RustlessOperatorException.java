package io.rustless.operator;

/** Base of the operator's unchecked exceptions. */
public class RustlessOperatorException extends RuntimeException {

  public RustlessOperatorException(String message) {
    super(message);
  }

  public RustlessOperatorException(String message, Throwable cause) {
    super(message, cause);
  }
}

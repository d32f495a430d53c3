package io.rustless.sdk.higress.redis;

import io.rustless.sdk.RustlessException;

/** Bytes that are not a complete RESP value, or a value of another type than asked for. */
public final class RespException extends RustlessException {
  private static final long serialVersionUID = 1L;

  public RespException(String message) {
    super(message);
  }
}

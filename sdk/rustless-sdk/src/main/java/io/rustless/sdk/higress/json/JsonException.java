package io.rustless.sdk.higress.json;

import io.rustless.sdk.RustlessException;

/** Malformed JSON, or a JSON value of another type than the caller asked for. */
public final class JsonException extends RustlessException {
  private static final long serialVersionUID = 1L;

  public JsonException(String message) {
    super(message);
  }
}

package io.rustless.sdk.api;

import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.lang.Decimal;
import io.rustless.sdk.lang.Utf8;

/**
 * The answer to an HTTP call, read in full before the handler runs. A call that failed or timed out
 * has no headers ({@link #failed()}).
 */
public record HttpCallResponse(int token, HeaderMap headers, byte[] body, HeaderMap trailers) {
  public HttpCallResponse {
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyString() {
    return Utf8.decode(body);
  }

  /** True if the proxy got no answer (connection failure, reset or timeout). */
  public boolean failed() {
    return headers.isEmpty();
  }

  /**
   * The HTTP status as Higress's SDKs read it: {@code :status}, 502 if it is missing (no answer),
   * 500 if it is not a number.
   */
  public int statusCode() {
    String s = headers.get(":status").orElse(null);
    if (s == null) {
      return 502;
    }
    try {
      return Decimal.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return 500;
    }
  }
}

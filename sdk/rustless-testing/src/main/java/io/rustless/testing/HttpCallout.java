package io.rustless.testing;

import io.rustless.sdk.host.HeaderMap;
import java.nio.charset.StandardCharsets;

/** An HTTP call the plugin dispatched ({@code proxy_http_call}). */
public record HttpCallout(
    int token,
    String upstream,
    HeaderMap headers,
    byte[] body,
    HeaderMap trailers,
    int timeoutMillis) {

  public HttpCallout {
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  public String bodyString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** {@code :method}, or "" */
  public String method() {
    return headers.get(":method").orElse("");
  }

  /** {@code :path}, or "" */
  public String path() {
    return headers.get(":path").orElse("");
  }

  /** {@code :authority}, or "" */
  public String authority() {
    return headers.get(":authority").orElse("");
  }
}

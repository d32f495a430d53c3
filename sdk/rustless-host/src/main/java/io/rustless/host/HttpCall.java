package io.rustless.host;

import io.rustless.sdk.host.HeaderMap;

/**
 * An HTTP call a plugin dispatched ({@code proxy_http_call}) and that has not been answered.
 *
 * @param contextId the context that was effective when the plugin dispatched it
 */
public record HttpCall(
    int token,
    String upstream,
    HeaderMap headers,
    byte[] body,
    HeaderMap trailers,
    int timeoutMillis,
    int contextId) {

  public HttpCall {
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}

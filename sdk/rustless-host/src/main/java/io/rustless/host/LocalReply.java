package io.rustless.host;

import io.rustless.sdk.host.HeaderMap;
import java.nio.charset.StandardCharsets;

/**
 * A reply the plugin sent with {@code proxy_send_local_response}.
 *
 * @param grpcStatus -1 for a plain HTTP reply
 */
public record LocalReply(
    int statusCode, String statusDetails, byte[] body, HeaderMap headers, int grpcStatus) {

  public LocalReply {
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyString() {
    return new String(body, StandardCharsets.UTF_8);
  }
}

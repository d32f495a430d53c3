package io.rustless.testing;

import io.rustless.host.LocalReply;
import io.rustless.sdk.host.HeaderMap;

/**
 * A reply the plugin sent with {@code proxy_send_local_response}: the test kit's view of the host's
 * {@link LocalReply}.
 */
public final class LocalResponse {
  private final LocalReply reply;

  LocalResponse(LocalReply reply) {
    this.reply = reply;
  }

  public int statusCode() {
    return reply.statusCode();
  }

  public String statusDetails() {
    return reply.statusDetails();
  }

  public byte[] body() {
    return reply.body();
  }

  public HeaderMap headers() {
    return reply.headers();
  }

  /** -1 for a plain HTTP reply. */
  public int grpcStatus() {
    return reply.grpcStatus();
  }

  /** The body decoded as UTF-8. */
  public String bodyString() {
    return reply.bodyString();
  }

  @Override
  public String toString() {
    return statusCode() + " " + headers() + " " + bodyString();
  }
}

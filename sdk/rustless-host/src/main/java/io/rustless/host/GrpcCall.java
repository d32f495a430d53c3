package io.rustless.host;

import io.rustless.sdk.host.HeaderMap;
import java.util.List;

/**
 * A gRPC call or stream a plugin opened, as it stands: what it sent on it and whether it ended it.
 *
 * @param messages what the plugin sent (for a unary call: the request message)
 * @param contextId the context that was effective when the plugin opened it
 */
public record GrpcCall(
    int token,
    String upstream,
    String serviceName,
    String methodName,
    HeaderMap initialMetadata,
    boolean stream,
    int timeoutMillis,
    List<byte[]> messages,
    boolean endOfStream,
    boolean cancelled,
    boolean closed,
    int contextId) {

  public GrpcCall {
    messages = messages.stream().map(byte[]::clone).toList();
  }

  @Override
  public List<byte[]> messages() {
    return messages.stream().map(byte[]::clone).toList();
  }
}

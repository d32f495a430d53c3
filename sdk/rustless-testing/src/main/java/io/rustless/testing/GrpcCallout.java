package io.rustless.testing;

import io.rustless.host.GrpcCall;
import io.rustless.sdk.host.HeaderMap;
import java.util.List;

/** A gRPC call or stream the plugin opened, with what it sent on it (as it stood when read). */
public final class GrpcCallout {
  private final GrpcCall call;

  GrpcCallout(GrpcCall call) {
    this.call = call;
  }

  public int token() {
    return call.token();
  }

  public String upstream() {
    return call.upstream();
  }

  public String serviceName() {
    return call.serviceName();
  }

  public String methodName() {
    return call.methodName();
  }

  public HeaderMap initialMetadata() {
    return call.initialMetadata();
  }

  public boolean isStream() {
    return call.stream();
  }

  public int timeoutMillis() {
    return call.timeoutMillis();
  }

  /** Messages sent so far (for a unary call: the request message). */
  public List<byte[]> messages() {
    return call.messages();
  }

  public boolean endOfStream() {
    return call.endOfStream();
  }

  public boolean cancelled() {
    return call.cancelled();
  }

  public boolean closed() {
    return call.closed();
  }
}

package io.rustless.testing;

import io.rustless.sdk.host.HeaderMap;
import java.util.ArrayList;
import java.util.List;

/** A gRPC call or stream the plugin opened, with what it sent on it. */
public final class GrpcCallout {
  private final int token;
  private final String upstream;
  private final String serviceName;
  private final String methodName;
  private final HeaderMap initialMetadata;
  private final boolean stream;
  private final int timeoutMillis;
  private final List<byte[]> messages = new ArrayList<>();
  private boolean endOfStream;
  private boolean cancelled;
  private boolean closed;

  public GrpcCallout(
      int token,
      String upstream,
      String serviceName,
      String methodName,
      HeaderMap initialMetadata,
      boolean stream,
      int timeoutMillis) {
    this.token = token;
    this.upstream = upstream;
    this.serviceName = serviceName;
    this.methodName = methodName;
    this.initialMetadata = initialMetadata;
    this.stream = stream;
    this.timeoutMillis = timeoutMillis;
  }

  public int token() {
    return token;
  }

  public String upstream() {
    return upstream;
  }

  public String serviceName() {
    return serviceName;
  }

  public String methodName() {
    return methodName;
  }

  public HeaderMap initialMetadata() {
    return initialMetadata;
  }

  public boolean isStream() {
    return stream;
  }

  public int timeoutMillis() {
    return timeoutMillis;
  }

  /** Messages sent so far (for a unary call: the request message). */
  public List<byte[]> messages() {
    List<byte[]> out = new ArrayList<>();
    for (byte[] m : messages) {
      out.add(m.clone());
    }
    return out;
  }

  public boolean endOfStream() {
    return endOfStream;
  }

  public boolean cancelled() {
    return cancelled;
  }

  public boolean closed() {
    return closed;
  }

  public void recordMessage(byte[] message, boolean end) {
    messages.add(message.clone());
    endOfStream |= end;
  }

  public void cancel() {
    cancelled = true;
  }

  public void close() {
    closed = true;
  }
}

package io.rustless.host.state;

import io.rustless.host.LocalReply;
import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.MapType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the host knows about one HTTP stream: headers, bodies, what the plugin did with them. */
public final class StreamState {
  final int contextId;
  final MutableHeaders requestHeaders = new MutableHeaders();
  final MutableHeaders requestTrailers = new MutableHeaders();
  final MutableHeaders responseHeaders = new MutableHeaders();
  final MutableHeaders responseTrailers = new MutableHeaders();
  byte[] requestBody = new byte[0];
  byte[] responseBody = new byte[0];
  boolean bufferingRequestBody;
  boolean bufferingResponseBody;
  final java.io.ByteArrayOutputStream forwardedRequestBody = new java.io.ByteArrayOutputStream();
  final java.io.ByteArrayOutputStream forwardedResponseBody = new java.io.ByteArrayOutputStream();
  LocalReply localReply;
  final Map<String, byte[]> properties = new LinkedHashMap<>();
  int requestResumes;
  int responseResumes;
  boolean requestClosed;
  boolean responseClosed;

  StreamState(int contextId) {
    this.contextId = contextId;
  }

  public int contextId() {
    return contextId;
  }

  public HeaderMap requestHeaders() {
    return requestHeaders.toHeaderMap();
  }

  public HeaderMap requestTrailers() {
    return requestTrailers.toHeaderMap();
  }

  public HeaderMap responseHeaders() {
    return responseHeaders.toHeaderMap();
  }

  public HeaderMap responseTrailers() {
    return responseTrailers.toHeaderMap();
  }

  public byte[] requestBody() {
    return requestBody.clone();
  }

  public byte[] responseBody() {
    return responseBody.clone();
  }

  /** The local reply the plugin sent, or null. */
  public LocalReply localReply() {
    return localReply;
  }

  /** Sets a property only this stream sees, e.g. its {@code route_name} (null removes it). */
  public void setProperty(java.util.List<String> path, byte[] value) {
    VmState.put(properties, path, value);
  }

  /** How often the plugin resumed the request ({@code proxy_continue_stream}). */
  public int requestResumes() {
    return requestResumes;
  }

  public int responseResumes() {
    return responseResumes;
  }

  public boolean requestClosed() {
    return requestClosed;
  }

  public boolean responseClosed() {
    return responseClosed;
  }

  /** Sets the map a callback is about to see (the host receiving headers from the wire). */
  public void receive(MapType type, HeaderMap map) {
    map(type).setAll(map);
  }

  /** A body chunk arrives for the plugin; returns the buffered size it will be told about. */
  public int receive(BufferType type, byte[] chunk) {
    return arrive(type, chunk).length;
  }

  /**
   * Records the plugin's answer to a body callback. CONTINUE passes the buffer on (it is what the
   * other side receives); the buffering actions keep it for the next callback; NO_BUFFER means the
   * plugin took the bytes itself, so they are neither passed on nor kept.
   */
  public void bodyAction(BufferType type, int dataActionCode) {
    boolean request = type == BufferType.HTTP_REQUEST_BODY;
    boolean buffering = dataActionCode == 1 || dataActionCode == 2;
    if (dataActionCode == 0) {
      (request ? forwardedRequestBody : forwardedResponseBody).writeBytes(buffer(type));
    }
    if (request) {
      bufferingRequestBody = buffering;
    } else {
      bufferingResponseBody = buffering;
    }
  }

  /** The request body passed upstream so far. */
  public byte[] forwardedRequestBody() {
    return forwardedRequestBody.toByteArray();
  }

  /** The response body passed to the client so far. */
  public byte[] forwardedResponseBody() {
    return forwardedResponseBody.toByteArray();
  }

  MutableHeaders map(MapType type) {
    switch (type) {
      case HTTP_REQUEST_HEADERS:
        return requestHeaders;
      case HTTP_REQUEST_TRAILERS:
        return requestTrailers;
      case HTTP_RESPONSE_HEADERS:
        return responseHeaders;
      case HTTP_RESPONSE_TRAILERS:
        return responseTrailers;
      default:
        return null;
    }
  }

  byte[] buffer(BufferType type) {
    switch (type) {
      case HTTP_REQUEST_BODY:
        return requestBody;
      case HTTP_RESPONSE_BODY:
        return responseBody;
      default:
        return null;
    }
  }

  void setBuffer(BufferType type, byte[] value) {
    if (type == BufferType.HTTP_REQUEST_BODY) {
      requestBody = value;
    } else if (type == BufferType.HTTP_RESPONSE_BODY) {
      responseBody = value;
    }
  }

  /**
   * A body chunk arrives. As Envoy does for a filter that returned STOP_ITERATION_AND_BUFFER, a
   * buffering stream appends it to what is held; otherwise the buffer is just this chunk.
   */
  byte[] arrive(BufferType type, byte[] chunk) {
    boolean buffering =
        type == BufferType.HTTP_REQUEST_BODY ? bufferingRequestBody : bufferingResponseBody;
    byte[] current = buffer(type);
    byte[] next;
    if (buffering) {
      next = Arrays.copyOf(current, current.length + chunk.length);
      System.arraycopy(chunk, 0, next, current.length, chunk.length);
    } else {
      next = chunk.clone();
    }
    setBuffer(type, next);
    return next;
  }

  /** Replaces {@code [start, start + size)} of a buffer by {@code value}, clipped to its end. */
  static byte[] splice(byte[] buffer, int start, int size, byte[] value) {
    int from = Math.min(Math.max(start, 0), buffer.length);
    long endL = Math.min((long) from + Math.max(size, 0), buffer.length);
    int end = (int) endL;
    byte[] out = new byte[buffer.length - (end - from) + value.length];
    System.arraycopy(buffer, 0, out, 0, from);
    System.arraycopy(value, 0, out, from, value.length);
    System.arraycopy(buffer, end, out, from + value.length, buffer.length - end);
    return out;
  }
}

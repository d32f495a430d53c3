package io.rustless.sdk.api;

import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.Host;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.host.SharedData;
import io.rustless.sdk.lang.Utf8;
import java.util.Arrays;
import java.util.Optional;

/** What every context (root or HTTP) can do: lifecycle callbacks and context-free host calls. */
public interface Context {

  /**
   * The host is about to delete this context. Return {@code false} to postpone deletion until the
   * plugin calls {@link #done()} (e.g. while an HTTP call is in flight).
   */
  default boolean onDone() {
    return true;
  }

  /** The stream is complete: a good moment for access logs and metrics. */
  default void onLog() {}

  /** The context is gone; drop what it holds. */
  default void onDelete() {}

  /**
   * The answer to {@link #dispatchHttpCall} {@code token} arrived (with {@code numHeaders == 0} if
   * the call failed or timed out). Read it with {@link #getHttpCallResponseHeaders()} and friends;
   * host calls act on this context again (the SDK restores it).
   */
  default void onHttpCallResponse(int token, int numHeaders, int bodySize, int numTrailers) {}

  /** Initial metadata of gRPC call or stream {@code token}. */
  default void onGrpcReceiveInitialMetadata(int token, int numHeaders) {}

  /** A message of gRPC call or stream {@code token}; read it with {@link #getGrpcReceiveBuffer}. */
  default void onGrpcReceive(int token, int messageSize) {}

  /** Trailing metadata of gRPC call or stream {@code token}. */
  default void onGrpcReceiveTrailingMetadata(int token, int numTrailers) {}

  /** gRPC call or stream {@code token} ended with {@code statusCode} (0 is OK). */
  default void onGrpcClose(int token, int statusCode) {}

  /**
   * The reply to Redis call {@code token} (Higress): {@code status} 0 is success; read the RESP
   * bytes with {@link #getRedisCallResponse}.
   */
  default void onRedisCallResponse(int token, int status, int responseSize) {}

  /** The host behind this context. */
  default Host host() {
    return PluginRuntime.host();
  }

  /** Wall-clock time in nanoseconds since the epoch, as the host sees it. */
  default long getCurrentTimeNanos() {
    return host().getCurrentTimeNanos();
  }

  /** The property at {@code path}, e.g. {@code getProperty("route_name")}. */
  default Optional<byte[]> getProperty(String... path) {
    return host().getProperty(Arrays.asList(path));
  }

  /** The property at {@code path} decoded as UTF-8. */
  default Optional<String> getPropertyString(String... path) {
    return getProperty(path).map(Utf8::decode);
  }

  /** Sets the property at {@code path}. */
  default void setProperty(byte[] value, String... path) {
    host().setProperty(Arrays.asList(path), value);
  }

  // ---- calls out: the answers come back to this context ----------------------------------

  /**
   * Sends an HTTP request to cluster {@code upstream} ({@code :method}, {@code :path} and {@code
   * :authority} go in {@code headers}); the answer arrives in {@link #onHttpCallResponse}.
   */
  default int dispatchHttpCall(
      String upstream, HeaderMap headers, byte[] body, HeaderMap trailers, int timeoutMillis) {
    int token = host().dispatchHttpCall(upstream, headers, body, trailers, timeoutMillis);
    PluginRuntime.current().trackHttpCall(token, null);
    return token;
  }

  /**
   * {@link #dispatchHttpCall(String, HeaderMap, byte[], HeaderMap, int)} with a handler: the SDK
   * reads the whole answer and calls {@code handler} instead of {@link #onHttpCallResponse}, with
   * this context effective again.
   */
  default int dispatchHttpCall(
      String upstream,
      HeaderMap headers,
      byte[] body,
      HeaderMap trailers,
      int timeoutMillis,
      HttpCallHandler handler) {
    int token = host().dispatchHttpCall(upstream, headers, body, trailers, timeoutMillis);
    PluginRuntime.current().trackHttpCall(token, handler);
    return token;
  }

  default HeaderMap getHttpCallResponseHeaders() {
    return host().getHeaderMap(MapType.HTTP_CALL_RESPONSE_HEADERS);
  }

  default Optional<byte[]> getHttpCallResponseBody(int start, int maxSize) {
    return host().getBufferBytes(BufferType.HTTP_CALL_RESPONSE_BODY, start, maxSize);
  }

  default HeaderMap getHttpCallResponseTrailers() {
    return host().getHeaderMap(MapType.HTTP_CALL_RESPONSE_TRAILERS);
  }

  /** A unary gRPC call; the answer arrives in the {@code onGrpc…} callbacks. */
  default int dispatchGrpcCall(
      String upstream,
      String serviceName,
      String methodName,
      HeaderMap initialMetadata,
      byte[] message,
      int timeoutMillis) {
    int token =
        host()
            .dispatchGrpcCall(
                upstream, serviceName, methodName, initialMetadata, message, timeoutMillis);
    PluginRuntime.current().trackGrpcCall(token);
    return token;
  }

  /** Opens a gRPC stream; messages arrive in {@link #onGrpcReceive}. */
  default int openGrpcStream(
      String upstream, String serviceName, String methodName, HeaderMap initialMetadata) {
    int token = host().openGrpcStream(upstream, serviceName, methodName, initialMetadata);
    PluginRuntime.current().trackGrpcCall(token);
    return token;
  }

  default void sendGrpcStreamMessage(int token, byte[] message, boolean endOfStream) {
    host().sendGrpcStreamMessage(token, message, endOfStream);
  }

  default void cancelGrpcCall(int token) {
    host().cancelGrpcCall(token);
  }

  default void closeGrpcStream(int token) {
    host().closeGrpcStream(token);
  }

  default HeaderMap getGrpcReceiveInitialMetadata() {
    return host().getHeaderMap(MapType.GRPC_RECEIVE_INITIAL_METADATA);
  }

  default Optional<byte[]> getGrpcReceiveBuffer(int start, int maxSize) {
    return host().getBufferBytes(BufferType.GRPC_RECEIVE_BUFFER, start, maxSize);
  }

  default HeaderMap getGrpcReceiveTrailingMetadata() {
    return host().getHeaderMap(MapType.GRPC_RECEIVE_TRAILING_METADATA);
  }

  /** Sends one RESP-encoded command to the Redis cluster {@code upstream} (Higress only). */
  default int dispatchRedisCall(String upstream, byte[] query) {
    int token = host().dispatchRedisCall(upstream, query);
    PluginRuntime.current().trackRedisCall(token, null);
    return token;
  }

  /**
   * {@link #dispatchRedisCall(String, byte[])} with a handler that gets the whole reply instead of
   * {@link #onRedisCallResponse}.
   */
  default int dispatchRedisCall(String upstream, byte[] query, RedisCallHandler handler) {
    int token = host().dispatchRedisCall(upstream, query);
    PluginRuntime.current().trackRedisCall(token, handler);
    return token;
  }

  default Optional<byte[]> getRedisCallResponse(int start, int maxSize) {
    return host().getBufferBytes(BufferType.REDIS_CALL_RESPONSE, start, maxSize);
  }

  /** Calls a host extension function. */
  default byte[] callForeignFunction(String name, byte[] argument) {
    return host().callForeignFunction(name, argument);
  }

  // ---- shared state -------------------------------------------------------------------------

  /** The VM-wide shared value under {@code key}, with its CAS token. */
  default Optional<SharedData> getSharedData(String key) {
    return host().getSharedData(key);
  }

  /**
   * Stores a VM-wide shared value; {@code cas} 0 writes unconditionally, otherwise only if nobody
   * wrote since that token was read ({@link io.rustless.sdk.host.CasMismatchException}: read again,
   * retry).
   */
  default void setSharedData(String key, byte[] value, int cas) {
    host().setSharedData(key, value, cas);
  }

  default int registerSharedQueue(String name) {
    return host().registerSharedQueue(name);
  }

  default java.util.OptionalInt resolveSharedQueue(String vmId, String name) {
    return host().resolveSharedQueue(vmId, name);
  }

  default void enqueueSharedQueue(int queueId, byte[] value) {
    host().enqueueSharedQueue(queueId, value);
  }

  default Optional<byte[]> dequeueSharedQueue(int queueId) {
    return host().dequeueSharedQueue(queueId);
  }

  /** Makes host calls act on context {@code contextId} until the callback returns. */
  default void setEffectiveContext(int contextId) {
    host().setEffectiveContext(contextId);
  }

  /** Tells the host that this context, which returned "not done" from {@link #onDone}, is done. */
  default void done() {
    host().done();
  }
}

package io.rustless.sdk.host;

import io.rustless.sdk.lang.Utf8;
import java.util.List;
import java.util.Optional;

/**
 * Every host call the SDK makes, in Java types. One implementation talks to the real proxy-wasm
 * host through the module's imports; the test kit's emulator is another.
 *
 * <p>Conventions: "not found" is an empty {@link Optional}; any other non-OK status throws a {@link
 * ProxyWasmException}. Calls act on the <em>effective</em> context: the one whose callback is
 * running, unless {@link #setEffectiveContext(int)} said otherwise.
 *
 * @see <a href="https://github.com/proxy-wasm/spec/tree/main/abi-versions/v0.2.1">proxy-wasm ABI
 *     v0.2.1</a>
 */
public interface Host {

  /** {@code proxy_log}: writes {@code message} at {@code level}. */
  void log(LogLevel level, String message);

  /** {@code proxy_get_log_level}: the level below which the host drops log lines. */
  LogLevel getLogLevel();

  /** {@code proxy_get_current_time_nanoseconds}: wall-clock time in nanoseconds since the epoch. */
  long getCurrentTimeNanos();

  /**
   * {@code proxy_get_buffer_bytes}: up to {@code maxSize} bytes of buffer {@code type} from {@code
   * start}; empty if the buffer does not exist in this context.
   */
  Optional<byte[]> getBufferBytes(BufferType type, int start, int maxSize);

  /**
   * {@code proxy_set_buffer_bytes}: replaces {@code size} bytes of buffer {@code type} from {@code
   * start} by {@code value} ({@code start = 0, size = Integer.MAX_VALUE} replaces everything).
   */
  void setBufferBytes(BufferType type, int start, int size, byte[] value);

  /** {@code proxy_get_header_map_pairs}: every entry of map {@code type} (empty if none). */
  HeaderMap getHeaderMap(MapType type);

  /** {@code proxy_set_header_map_pairs}: replaces map {@code type} by {@code map}. */
  void setHeaderMap(MapType type, HeaderMap map);

  /** {@code proxy_get_header_map_value}: the raw bytes of the first value of {@code name}. */
  Optional<byte[]> getHeaderMapValueBytes(MapType type, String name);

  /** The first value of {@code name}, decoded as UTF-8 (U+FFFD for bad bytes). */
  default Optional<String> getHeaderMapValue(MapType type, String name) {
    return getHeaderMapValueBytes(type, name).map(Utf8::decode);
  }

  /** {@code proxy_add_header_map_value}: appends a value to {@code name}. */
  void addHeaderMapValue(MapType type, String name, byte[] value);

  /** {@code proxy_add_header_map_value} with a UTF-8 value. */
  default void addHeaderMapValue(MapType type, String name, String value) {
    addHeaderMapValue(type, name, Utf8.encode(value));
  }

  /** {@code proxy_replace_header_map_value}: sets {@code name} to exactly this value. */
  void replaceHeaderMapValue(MapType type, String name, byte[] value);

  /** {@code proxy_replace_header_map_value} with a UTF-8 value. */
  default void replaceHeaderMapValue(MapType type, String name, String value) {
    replaceHeaderMapValue(type, name, Utf8.encode(value));
  }

  /** {@code proxy_remove_header_map_value}: removes every value of {@code name}. */
  void removeHeaderMapValue(MapType type, String name);

  /**
   * {@code proxy_get_property}: the value at {@code path} (e.g. {@code ["route_name"]}, {@code
   * ["request", "path"]}); empty if the host has none.
   */
  Optional<byte[]> getProperty(List<String> path);

  /** {@code proxy_set_property}: sets the value at {@code path}. */
  void setProperty(List<String> path, byte[] value);

  /**
   * {@code proxy_send_local_response}: answers the client directly. {@code grpcStatus} is -1 for a
   * plain HTTP reply.
   */
  void sendLocalResponse(
      int statusCode, String statusDetails, byte[] body, HeaderMap headers, int grpcStatus);

  /** {@code proxy_continue_stream}: resumes a stream a callback paused. */
  void continueStream(StreamType stream);

  /** {@code proxy_close_stream}: closes (resets) a stream. */
  void closeStream(StreamType stream);

  /** {@code proxy_get_header_map_size}: the number of entries in map {@code type}. */
  int getHeaderMapSize(MapType type);

  // ---- timers, shared state, metrics --------------------------------------------------------

  /** {@code proxy_set_tick_period_milliseconds}: calls onTick every period (0 stops the timer). */
  void setTickPeriod(int millis);

  /** {@code proxy_get_shared_data}: the value and CAS token under {@code key}. */
  java.util.Optional<SharedData> getSharedData(String key);

  /**
   * {@code proxy_set_shared_data}: stores {@code value}; with {@code cas != 0} only if the stored
   * token still is {@code cas}, else {@link CasMismatchException}.
   */
  void setSharedData(String key, byte[] value, int cas);

  /** {@code proxy_register_shared_queue}: creates (or finds) this VM's queue {@code name}. */
  int registerSharedQueue(String name);

  /** {@code proxy_resolve_shared_queue}: the id of queue {@code name} of VM {@code vmId}. */
  java.util.OptionalInt resolveSharedQueue(String vmId, String name);

  /** {@code proxy_enqueue_shared_queue}: appends {@code value} to queue {@code queueId}. */
  void enqueueSharedQueue(int queueId, byte[] value);

  /** {@code proxy_dequeue_shared_queue}: the oldest item, or empty if the queue is empty. */
  java.util.Optional<byte[]> dequeueSharedQueue(int queueId);

  /** {@code proxy_define_metric}: the id of metric {@code name} (defining it if new). */
  int defineMetric(MetricType type, String name);

  /** {@code proxy_increment_metric}: adds {@code offset} (may be negative for gauges). */
  void incrementMetric(int metricId, long offset);

  /** {@code proxy_record_metric}: sets a gauge, or records a histogram sample. */
  void recordMetric(int metricId, long value);

  /** {@code proxy_get_metric}: the current value. */
  long getMetric(int metricId);

  // ---- calls out ----------------------------------------------------------------------------

  /**
   * {@code proxy_http_call}: sends a request to cluster {@code upstream}; the answer arrives later
   * in {@code proxy_on_http_call_response} with the returned token.
   */
  int dispatchHttpCall(
      String upstream, HeaderMap headers, byte[] body, HeaderMap trailers, int timeoutMillis);

  /** {@code proxy_grpc_call}: a unary gRPC call; returns its token. */
  int dispatchGrpcCall(
      String upstream,
      String serviceName,
      String methodName,
      HeaderMap initialMetadata,
      byte[] message,
      int timeoutMillis);

  /** {@code proxy_grpc_stream}: opens a gRPC stream; returns its token. */
  int openGrpcStream(
      String upstream, String serviceName, String methodName, HeaderMap initialMetadata);

  /** {@code proxy_grpc_send}: sends a message on an open stream. */
  void sendGrpcStreamMessage(int token, byte[] message, boolean endOfStream);

  /** {@code proxy_grpc_cancel}: cancels a call or stream. */
  void cancelGrpcCall(int token);

  /** {@code proxy_grpc_close}: half-closes a stream. */
  void closeGrpcStream(int token);

  /** {@code proxy_call_foreign_function}: calls a host extension function; its result bytes. */
  byte[] callForeignFunction(String name, byte[] argument);

  /** Higress {@code proxy_redis_init}: prepares the Redis cluster {@code upstream}. */
  void initRedis(String upstream, String username, String password, int timeoutMillis);

  /** Higress {@code proxy_redis_call}: sends one RESP-encoded command; returns its token. */
  int dispatchRedisCall(String upstream, byte[] query);

  /** {@code proxy_set_effective_context}: makes later calls act on context {@code contextId}. */
  void setEffectiveContext(int contextId);

  /** {@code proxy_done}: tells the host a context that returned "not done" is now done. */
  void done();

  /**
   * Bytes the plugin's Java heap can still allocate. In a module the heap is fixed (the build's
   * heap size) and running out of it traps, so code about to allocate in proportion to untrusted
   * input checks this first (after a GC if it is short). On the JVM it is what the JVM's maximum
   * heap leaves.
   */
  default long freeHeapBytes() {
    return Runtime.getRuntime().freeMemory();
  }

  /**
   * The plugin threw {@code error} in {@code callback} and the SDK caught it (it has already logged
   * it at CRITICAL). Not a proxy-wasm call: a host that runs the plugin's classes on the JVM can
   * keep the stack trace, which a module has none of. Does nothing by default.
   */
  default void uncaughtException(String callback, int contextId, Throwable error) {}
}

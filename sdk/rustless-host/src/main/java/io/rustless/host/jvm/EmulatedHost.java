package io.rustless.host.jvm;

import io.rustless.host.state.MutableHeaders;
import io.rustless.host.state.SharedState;
import io.rustless.host.state.VmState;
import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.Host;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.host.MetricType;
import io.rustless.sdk.host.ProxyWasmException;
import io.rustless.sdk.host.SharedData;
import io.rustless.sdk.host.Status;
import io.rustless.sdk.host.StreamType;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The SDK's {@link Host} over a {@link VmState}: the proxy as a plugin's classes see it when they
 * run on the JVM. It answers as the Wasm host functions do, to the same state.
 */
public final class EmulatedHost implements Host {
  private final VmState state;

  public EmulatedHost(VmState state) {
    this.state = state;
  }

  private SharedState shared() {
    return state.shared();
  }

  private static void check(String call, Status status) {
    if (status != Status.OK) {
      throw ProxyWasmException.of(call, status);
    }
  }

  @Override
  public void log(LogLevel level, String message) {
    state.log(level, message);
  }

  @Override
  public LogLevel getLogLevel() {
    return state.logLevel();
  }

  @Override
  public long getCurrentTimeNanos() {
    return state.nowNanos();
  }

  @Override
  public Optional<byte[]> getBufferBytes(BufferType type, int start, int maxSize) {
    return Optional.ofNullable(state.getBuffer(type, start, maxSize));
  }

  @Override
  public void setBufferBytes(BufferType type, int start, int size, byte[] value) {
    check("proxy_set_buffer_bytes", state.setBuffer(type, start, size, value));
  }

  @Override
  public HeaderMap getHeaderMap(MapType type) {
    MutableHeaders h = state.headers(type);
    return h == null ? HeaderMap.empty() : h.toHeaderMap();
  }

  @Override
  public void setHeaderMap(MapType type, HeaderMap map) {
    headers("proxy_set_header_map_pairs", type).setAll(map);
  }

  @Override
  public Optional<byte[]> getHeaderMapValueBytes(MapType type, String name) {
    MutableHeaders h = state.headers(type);
    return h == null ? Optional.empty() : Optional.ofNullable(h.get(name));
  }

  @Override
  public void addHeaderMapValue(MapType type, String name, byte[] value) {
    headers("proxy_add_header_map_value", type).add(name, value);
  }

  @Override
  public void replaceHeaderMapValue(MapType type, String name, byte[] value) {
    headers("proxy_replace_header_map_value", type).replace(name, value);
  }

  @Override
  public void removeHeaderMapValue(MapType type, String name) {
    headers("proxy_remove_header_map_value", type).remove(name);
  }

  private MutableHeaders headers(String call, MapType type) {
    MutableHeaders h = state.headers(type);
    if (h == null) {
      throw ProxyWasmException.of(call, Status.NOT_FOUND);
    }
    return h;
  }

  @Override
  public Optional<byte[]> getProperty(List<String> path) {
    return Optional.ofNullable(state.getProperty(path));
  }

  @Override
  public void setProperty(List<String> path, byte[] value) {
    state.setProperty(path, value);
  }

  @Override
  public void sendLocalResponse(
      int statusCode, String statusDetails, byte[] body, HeaderMap headers, int grpcStatus) {
    check(
        "proxy_send_local_response",
        state.sendLocalResponse(statusCode, statusDetails, body, headers, grpcStatus));
  }

  @Override
  public void continueStream(StreamType stream) {
    check("proxy_continue_stream", state.continueStream(stream));
  }

  @Override
  public void closeStream(StreamType stream) {
    check("proxy_close_stream", state.closeStream(stream));
  }

  @Override
  public int getHeaderMapSize(MapType type) {
    MutableHeaders h = state.headers(type);
    if (h == null) {
      throw ProxyWasmException.of("proxy_get_header_map_size", Status.NOT_FOUND);
    }
    return h.size();
  }

  @Override
  public void setTickPeriod(int millis) {
    check("proxy_set_tick_period_milliseconds", state.setTickPeriod(millis));
  }

  @Override
  public Optional<SharedData> getSharedData(String key) {
    return Optional.ofNullable(shared().getSharedData(key));
  }

  @Override
  public void setSharedData(String key, byte[] value, int cas) {
    check("proxy_set_shared_data", shared().setSharedData(key, value, cas));
  }

  @Override
  public int registerSharedQueue(String name) {
    return shared().registerQueue(name, state);
  }

  @Override
  public OptionalInt resolveSharedQueue(String vmId, String name) {
    int id = shared().resolveQueue(vmId, name);
    return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public void enqueueSharedQueue(int queueId, byte[] value) {
    check("proxy_enqueue_shared_queue", shared().enqueue(queueId, value));
  }

  @Override
  public Optional<byte[]> dequeueSharedQueue(int queueId) {
    Status[] status = new Status[1];
    byte[] item = shared().dequeue(queueId, status);
    if (status[0] == Status.EMPTY) {
      return Optional.empty();
    }
    check("proxy_dequeue_shared_queue", status[0]);
    return Optional.of(item);
  }

  @Override
  public int defineMetric(MetricType type, String name) {
    return shared().defineMetric(type, name);
  }

  @Override
  public void incrementMetric(int metricId, long offset) {
    check("proxy_increment_metric", shared().incrementMetric(metricId, offset));
  }

  @Override
  public void recordMetric(int metricId, long value) {
    check("proxy_record_metric", shared().recordMetric(metricId, value));
  }

  @Override
  public long getMetric(int metricId) {
    SharedState.Metric m = shared().metric(metricId);
    if (m == null) {
      throw ProxyWasmException.of("proxy_get_metric", Status.NOT_FOUND);
    }
    return m.value();
  }

  @Override
  public int dispatchHttpCall(
      String upstream, HeaderMap headers, byte[] body, HeaderMap trailers, int timeoutMillis) {
    return state.dispatchHttpCall(upstream, headers, body, trailers, timeoutMillis);
  }

  @Override
  public int dispatchGrpcCall(
      String upstream,
      String serviceName,
      String methodName,
      HeaderMap initialMetadata,
      byte[] message,
      int timeoutMillis) {
    return state.dispatchGrpc(
        upstream, serviceName, methodName, initialMetadata, message, false, timeoutMillis);
  }

  @Override
  public int openGrpcStream(
      String upstream, String serviceName, String methodName, HeaderMap initialMetadata) {
    return state.dispatchGrpc(upstream, serviceName, methodName, initialMetadata, null, true, 0);
  }

  @Override
  public void sendGrpcStreamMessage(int token, byte[] message, boolean endOfStream) {
    check("proxy_grpc_send", state.grpcSend(token, message, endOfStream));
  }

  @Override
  public void cancelGrpcCall(int token) {
    check("proxy_grpc_cancel", state.grpcCancel(token));
  }

  @Override
  public void closeGrpcStream(int token) {
    check("proxy_grpc_close", state.grpcClose(token));
  }

  @Override
  public byte[] callForeignFunction(String name, byte[] argument) {
    byte[] result = state.callForeignFunction(name, argument);
    if (result == null) {
      throw ProxyWasmException.of("proxy_call_foreign_function", Status.NOT_FOUND);
    }
    return result;
  }

  @Override
  public void initRedis(String upstream, String username, String password, int timeoutMillis) {
    check("proxy_redis_init", state.initRedis(upstream, username, password, timeoutMillis));
  }

  @Override
  public int dispatchRedisCall(String upstream, byte[] query) {
    Status[] status = new Status[1];
    int token = state.dispatchRedisCall(upstream, query, status);
    check("proxy_redis_call", status[0]);
    return token;
  }

  @Override
  public void setEffectiveContext(int contextId) {
    check("proxy_set_effective_context", state.switchEffectiveContext(contextId));
  }

  @Override
  public void done() {
    check("proxy_done", state.done());
  }

  /** The stack trace goes to stderr: on the JVM the test's output shows where the plugin threw. */
  @Override
  public void uncaughtException(String callback, int contextId, Throwable error) {
    System.err.println("[rustless] " + callback + " (context " + contextId + ") threw:");
    error.printStackTrace(System.err);
  }

  @Override
  public long freeHeapBytes() {
    // the JVM grows its heap on demand: what is left is up to its maximum, not its committed size
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }
}

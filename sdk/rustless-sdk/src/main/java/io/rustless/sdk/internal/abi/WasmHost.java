package io.rustless.sdk.internal.abi;

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
import org.teavm.interop.Address;

/**
 * {@link Host} over the module's imports. Each call borrows arena memory for its arguments and
 * out-parameters and hands it back before returning; results are copied onto the Java heap first.
 *
 * <p>Slices from {@link Mem} are unpacked inline ({@code (int) s} is the pointer, {@code (int) (s
 * >>> 32)} the length) and out-parameters read with {@link Address} directly: TeaVM does not inline
 * small static methods at the optimisation level the build uses (only methods called once), and
 * each call costs a shadow-stack bookkeeping of its own, on every host call.
 */
final class WasmHost implements Host {
  static final WasmHost INSTANCE = new WasmHost();
  private static final int NOT_FOUND = Status.NOT_FOUND.code();
  private static final int EMPTY = Status.EMPTY.code();

  private WasmHost() {}

  @Override
  public void log(LogLevel level, String message) {
    int mark = Arena.mark();
    try {
      long m = Mem.writeUtf8(message);
      Imports.proxyLog(level.code(), (int) m, (int) (m >>> 32));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public LogLevel getLogLevel() {
    int mark = Arena.mark();
    try {
      int out = Arena.allocate(4);
      int st = Imports.proxyGetLogLevel(out);
      return st == 0 ? LogLevel.fromCode(Address.fromInt(out).getInt()) : LogLevel.TRACE;
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public long getCurrentTimeNanos() {
    int mark = Arena.mark();
    try {
      int out = Arena.allocate(8);
      ProxyWasmException.check(
          "proxy_get_current_time_nanoseconds", Imports.proxyGetCurrentTimeNanoseconds(out));
      return Address.fromInt(out).getLong();
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public Optional<byte[]> getBufferBytes(BufferType type, int start, int maxSize) {
    int mark = Arena.mark();
    try {
      int out = Arena.allocate(8);
      int st = Imports.proxyGetBufferBytes(type.code(), start, maxSize, out, out + 4);
      if (st == NOT_FOUND) {
        return Optional.empty();
      }
      ProxyWasmException.check("proxy_get_buffer_bytes", st);
      return Optional.of(
          Mem.read(Address.fromInt(out).getInt(), Address.fromInt(out + 4).getInt()));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void setBufferBytes(BufferType type, int start, int size, byte[] value) {
    ProxyWasmException.check(
        "proxy_set_buffer_bytes",
        Imports.proxySetBufferBytes(type.code(), start, size, dataPtr(value), value.length));
  }

  @Override
  public HeaderMap getHeaderMap(MapType type) {
    int mark = Arena.mark();
    try {
      int out = Arena.allocate(8);
      int st = Imports.proxyGetHeaderMapPairs(type.code(), out, out + 4);
      if (st == NOT_FOUND) {
        return HeaderMap.empty();
      }
      ProxyWasmException.check("proxy_get_header_map_pairs", st);
      return Mem.readHeaderMap(Address.fromInt(out).getInt(), Address.fromInt(out + 4).getInt());
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void setHeaderMap(MapType type, HeaderMap map) {
    int mark = Arena.mark();
    try {
      long pairs = Mem.writeHeaderMap(map);
      ProxyWasmException.check(
          "proxy_set_header_map_pairs",
          Imports.proxySetHeaderMapPairs(type.code(), (int) pairs, (int) (pairs >>> 32)));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public Optional<byte[]> getHeaderMapValueBytes(MapType type, String name) {
    int mark = Arena.mark();
    try {
      long key = Mem.writeUtf8(name);
      int out = Arena.allocate(8);
      int st =
          Imports.proxyGetHeaderMapValue(type.code(), (int) key, (int) (key >>> 32), out, out + 4);
      if (st == NOT_FOUND) {
        return Optional.empty();
      }
      ProxyWasmException.check("proxy_get_header_map_value", st);
      return Optional.of(
          Mem.read(Address.fromInt(out).getInt(), Address.fromInt(out + 4).getInt()));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public Optional<String> getHeaderMapValue(MapType type, String name) {
    int mark = Arena.mark();
    try {
      long key = Mem.writeUtf8(name);
      int out = Arena.allocate(8);
      int st =
          Imports.proxyGetHeaderMapValue(type.code(), (int) key, (int) (key >>> 32), out, out + 4);
      if (st == NOT_FOUND) {
        return Optional.empty();
      }
      ProxyWasmException.check("proxy_get_header_map_value", st);
      return Optional.of(
          Mem.readUtf8(Address.fromInt(out).getInt(), Address.fromInt(out + 4).getInt()));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void addHeaderMapValue(MapType type, String name, byte[] value) {
    int mark = Arena.mark();
    try {
      long key = Mem.writeUtf8(name);
      ProxyWasmException.check(
          "proxy_add_header_map_value",
          Imports.proxyAddHeaderMapValue(
              type.code(), (int) key, (int) (key >>> 32), dataPtr(value), value.length));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void addHeaderMapValue(MapType type, String name, String value) {
    int mark = Arena.mark();
    try {
      long key = Mem.writeUtf8(name);
      long val = Mem.writeUtf8(value);
      ProxyWasmException.check(
          "proxy_add_header_map_value",
          Imports.proxyAddHeaderMapValue(
              type.code(), (int) key, (int) (key >>> 32), (int) val, (int) (val >>> 32)));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void replaceHeaderMapValue(MapType type, String name, byte[] value) {
    int mark = Arena.mark();
    try {
      long key = Mem.writeUtf8(name);
      ProxyWasmException.check(
          "proxy_replace_header_map_value",
          Imports.proxyReplaceHeaderMapValue(
              type.code(), (int) key, (int) (key >>> 32), dataPtr(value), value.length));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void replaceHeaderMapValue(MapType type, String name, String value) {
    int mark = Arena.mark();
    try {
      long key = Mem.writeUtf8(name);
      long val = Mem.writeUtf8(value);
      ProxyWasmException.check(
          "proxy_replace_header_map_value",
          Imports.proxyReplaceHeaderMapValue(
              type.code(), (int) key, (int) (key >>> 32), (int) val, (int) (val >>> 32)));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void removeHeaderMapValue(MapType type, String name) {
    int mark = Arena.mark();
    try {
      long key = Mem.writeUtf8(name);
      int st = Imports.proxyRemoveHeaderMapValue(type.code(), (int) key, (int) (key >>> 32));
      if (st != NOT_FOUND) {
        ProxyWasmException.check("proxy_remove_header_map_value", st);
      }
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public Optional<byte[]> getProperty(List<String> path) {
    int mark = Arena.mark();
    try {
      long p = Mem.writePath(path);
      int out = Arena.allocate(8);
      int st = Imports.proxyGetProperty((int) p, (int) (p >>> 32), out, out + 4);
      if (st == NOT_FOUND) {
        return Optional.empty();
      }
      ProxyWasmException.check("proxy_get_property", st);
      return Optional.of(
          Mem.read(Address.fromInt(out).getInt(), Address.fromInt(out + 4).getInt()));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void setProperty(List<String> path, byte[] value) {
    int mark = Arena.mark();
    try {
      long p = Mem.writePath(path);
      ProxyWasmException.check(
          "proxy_set_property",
          Imports.proxySetProperty((int) p, (int) (p >>> 32), dataPtr(value), value.length));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void sendLocalResponse(
      int statusCode, String statusDetails, byte[] body, HeaderMap headers, int grpcStatus) {
    int mark = Arena.mark();
    try {
      long details = Mem.writeUtf8(statusDetails);
      long pairs = Mem.writeHeaderMap(headers);
      ProxyWasmException.check(
          "proxy_send_local_response",
          Imports.proxySendLocalResponse(
              statusCode,
              (int) details,
              (int) (details >>> 32),
              dataPtr(body),
              body.length,
              (int) pairs,
              (int) (pairs >>> 32),
              grpcStatus));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public int getHeaderMapSize(MapType type) {
    int mark = Arena.mark();
    try {
      int out = Arena.allocate(4);
      ProxyWasmException.check(
          "proxy_get_header_map_size", Imports.proxyGetHeaderMapSize(type.code(), out));
      return Address.fromInt(out).getInt();
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void setTickPeriod(int millis) {
    ProxyWasmException.check(
        "proxy_set_tick_period_milliseconds", Imports.proxySetTickPeriodMilliseconds(millis));
  }

  @Override
  public Optional<SharedData> getSharedData(String key) {
    int mark = Arena.mark();
    try {
      long k = Mem.writeUtf8(key);
      int out = Arena.allocate(12);
      int st = Imports.proxyGetSharedData((int) k, (int) (k >>> 32), out, out + 4, out + 8);
      if (st == NOT_FOUND) {
        return Optional.empty();
      }
      ProxyWasmException.check("proxy_get_shared_data", st);
      byte[] value = Mem.read(Address.fromInt(out).getInt(), Address.fromInt(out + 4).getInt());
      return Optional.of(new SharedData(value, Address.fromInt(out + 8).getInt()));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void setSharedData(String key, byte[] value, int cas) {
    int mark = Arena.mark();
    try {
      long k = Mem.writeUtf8(key);
      ProxyWasmException.check(
          "proxy_set_shared_data",
          Imports.proxySetSharedData((int) k, (int) (k >>> 32), dataPtr(value), value.length, cas));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public int registerSharedQueue(String name) {
    int mark = Arena.mark();
    try {
      long n = Mem.writeUtf8(name);
      int out = Arena.allocate(4);
      ProxyWasmException.check(
          "proxy_register_shared_queue",
          Imports.proxyRegisterSharedQueue((int) n, (int) (n >>> 32), out));
      return Address.fromInt(out).getInt();
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public OptionalInt resolveSharedQueue(String vmId, String name) {
    int mark = Arena.mark();
    try {
      long v = Mem.writeUtf8(vmId);
      long n = Mem.writeUtf8(name);
      int out = Arena.allocate(4);
      int st =
          Imports.proxyResolveSharedQueue(
              (int) v, (int) (v >>> 32), (int) n, (int) (n >>> 32), out);
      if (st == NOT_FOUND) {
        return OptionalInt.empty();
      }
      ProxyWasmException.check("proxy_resolve_shared_queue", st);
      return OptionalInt.of(Address.fromInt(out).getInt());
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void enqueueSharedQueue(int queueId, byte[] value) {
    ProxyWasmException.check(
        "proxy_enqueue_shared_queue",
        Imports.proxyEnqueueSharedQueue(queueId, dataPtr(value), value.length));
  }

  @Override
  public Optional<byte[]> dequeueSharedQueue(int queueId) {
    int mark = Arena.mark();
    try {
      int out = Arena.allocate(8);
      int st = Imports.proxyDequeueSharedQueue(queueId, out, out + 4);
      if (st == EMPTY) {
        return Optional.empty();
      }
      ProxyWasmException.check("proxy_dequeue_shared_queue", st);
      return Optional.of(
          Mem.read(Address.fromInt(out).getInt(), Address.fromInt(out + 4).getInt()));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public int defineMetric(MetricType type, String name) {
    int mark = Arena.mark();
    try {
      long n = Mem.writeUtf8(name);
      int out = Arena.allocate(4);
      ProxyWasmException.check(
          "proxy_define_metric",
          Imports.proxyDefineMetric(type.code(), (int) n, (int) (n >>> 32), out));
      return Address.fromInt(out).getInt();
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void incrementMetric(int metricId, long offset) {
    ProxyWasmException.check(
        "proxy_increment_metric", Imports.proxyIncrementMetric(metricId, offset));
  }

  @Override
  public void recordMetric(int metricId, long value) {
    ProxyWasmException.check("proxy_record_metric", Imports.proxyRecordMetric(metricId, value));
  }

  @Override
  public long getMetric(int metricId) {
    int mark = Arena.mark();
    try {
      int out = Arena.allocate(8);
      ProxyWasmException.check("proxy_get_metric", Imports.proxyGetMetric(metricId, out));
      return Address.fromInt(out).getLong();
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public int dispatchHttpCall(
      String upstream, HeaderMap headers, byte[] body, HeaderMap trailers, int timeoutMillis) {
    int mark = Arena.mark();
    try {
      long u = Mem.writeUtf8(upstream);
      long h = Mem.writeHeaderMap(headers);
      long t = Mem.writeHeaderMap(trailers);
      int out = Arena.allocate(4);
      ProxyWasmException.check(
          "proxy_http_call",
          Imports.proxyHttpCall(
              (int) u,
              (int) (u >>> 32),
              (int) h,
              (int) (h >>> 32),
              dataPtr(body),
              body.length,
              (int) t,
              (int) (t >>> 32),
              timeoutMillis,
              out));
      return Address.fromInt(out).getInt();
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public int dispatchGrpcCall(
      String upstream,
      String serviceName,
      String methodName,
      HeaderMap initialMetadata,
      byte[] message,
      int timeoutMillis) {
    int mark = Arena.mark();
    try {
      long u = Mem.writeUtf8(upstream);
      long s = Mem.writeUtf8(serviceName);
      long m = Mem.writeUtf8(methodName);
      long md = Mem.writeHeaderMap(initialMetadata);
      int out = Arena.allocate(4);
      ProxyWasmException.check(
          "proxy_grpc_call",
          Imports.proxyGrpcCall(
              (int) u,
              (int) (u >>> 32),
              (int) s,
              (int) (s >>> 32),
              (int) m,
              (int) (m >>> 32),
              (int) md,
              (int) (md >>> 32),
              dataPtr(message),
              message.length,
              timeoutMillis,
              out));
      return Address.fromInt(out).getInt();
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public int openGrpcStream(
      String upstream, String serviceName, String methodName, HeaderMap initialMetadata) {
    int mark = Arena.mark();
    try {
      long u = Mem.writeUtf8(upstream);
      long s = Mem.writeUtf8(serviceName);
      long m = Mem.writeUtf8(methodName);
      long md = Mem.writeHeaderMap(initialMetadata);
      int out = Arena.allocate(4);
      ProxyWasmException.check(
          "proxy_grpc_stream",
          Imports.proxyGrpcStream(
              (int) u,
              (int) (u >>> 32),
              (int) s,
              (int) (s >>> 32),
              (int) m,
              (int) (m >>> 32),
              (int) md,
              (int) (md >>> 32),
              out));
      return Address.fromInt(out).getInt();
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void sendGrpcStreamMessage(int token, byte[] message, boolean endOfStream) {
    ProxyWasmException.check(
        "proxy_grpc_send",
        Imports.proxyGrpcSend(token, dataPtr(message), message.length, endOfStream ? 1 : 0));
  }

  @Override
  public void cancelGrpcCall(int token) {
    ProxyWasmException.check("proxy_grpc_cancel", Imports.proxyGrpcCancel(token));
  }

  @Override
  public void closeGrpcStream(int token) {
    ProxyWasmException.check("proxy_grpc_close", Imports.proxyGrpcClose(token));
  }

  @Override
  public byte[] callForeignFunction(String name, byte[] argument) {
    int mark = Arena.mark();
    try {
      long n = Mem.writeUtf8(name);
      int out = Arena.allocate(8);
      ProxyWasmException.check(
          "proxy_call_foreign_function",
          Imports.proxyCallForeignFunction(
              (int) n, (int) (n >>> 32), dataPtr(argument), argument.length, out, out + 4));
      return Mem.read(Address.fromInt(out).getInt(), Address.fromInt(out + 4).getInt());
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void initRedis(String upstream, String username, String password, int timeoutMillis) {
    int mark = Arena.mark();
    try {
      long u = Mem.writeUtf8(upstream);
      long user = Mem.writeUtf8(username);
      long pass = Mem.writeUtf8(password);
      ProxyWasmException.check(
          "proxy_redis_init",
          Imports.proxyRedisInit(
              (int) u,
              (int) (u >>> 32),
              (int) user,
              (int) (user >>> 32),
              (int) pass,
              (int) (pass >>> 32),
              timeoutMillis));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public int dispatchRedisCall(String upstream, byte[] query) {
    int mark = Arena.mark();
    try {
      long u = Mem.writeUtf8(upstream);
      int out = Arena.allocate(4);
      ProxyWasmException.check(
          "proxy_redis_call",
          Imports.proxyRedisCall((int) u, (int) (u >>> 32), dataPtr(query), query.length, out));
      return Address.fromInt(out).getInt();
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void continueStream(StreamType stream) {
    ProxyWasmException.check("proxy_continue_stream", Imports.proxyContinueStream(stream.code()));
  }

  @Override
  public void closeStream(StreamType stream) {
    ProxyWasmException.check("proxy_close_stream", Imports.proxyCloseStream(stream.code()));
  }

  @Override
  public void setEffectiveContext(int contextId) {
    ProxyWasmException.check(
        "proxy_set_effective_context", Imports.proxySetEffectiveContext(contextId));
  }

  @Override
  public void done() {
    ProxyWasmException.check("proxy_done", Imports.proxyDone());
  }

  /**
   * The address of {@code data}'s elements, passed to the host without a copy. Safe because the
   * host can only re-enter the module through {@code proxy_on_memory_allocate}, which never
   * allocates on the Java heap, so no GC can move the array during the call.
   */
  private static int dataPtr(byte[] data) {
    return Address.ofData(data).toInt();
  }
}

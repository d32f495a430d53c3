package io.rustless.sdk.internal.abi;

import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.Host;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.host.ProxyWasmException;
import io.rustless.sdk.host.Status;
import io.rustless.sdk.host.StreamType;
import java.util.List;
import java.util.Optional;
import org.teavm.interop.Address;

/**
 * {@link Host} over the module's imports. Each call borrows arena memory for its arguments and
 * out-parameters and hands it back before returning; results are copied onto the Java heap first.
 */
final class WasmHost implements Host {
  static final WasmHost INSTANCE = new WasmHost();
  private static final int NOT_FOUND = Status.NOT_FOUND.code();

  private WasmHost() {}

  @Override
  public void log(LogLevel level, String message) {
    int mark = Arena.mark();
    try {
      long m = Mem.writeUtf8(message);
      Imports.proxyLog(level.code(), Mem.ptr(m), Mem.len(m));
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
      return st == 0 ? LogLevel.fromCode(Mem.getInt(out)) : LogLevel.TRACE;
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
      return Mem.getLong(out);
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
      return Optional.of(Mem.read(Mem.getInt(out), Mem.getInt(out + 4)));
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
      return Mem.readHeaderMap(Mem.getInt(out), Mem.getInt(out + 4));
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
          Imports.proxySetHeaderMapPairs(type.code(), Mem.ptr(pairs), Mem.len(pairs)));
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
          Imports.proxyGetHeaderMapValue(type.code(), Mem.ptr(key), Mem.len(key), out, out + 4);
      if (st == NOT_FOUND) {
        return Optional.empty();
      }
      ProxyWasmException.check("proxy_get_header_map_value", st);
      return Optional.of(Mem.read(Mem.getInt(out), Mem.getInt(out + 4)));
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
          Imports.proxyGetHeaderMapValue(type.code(), Mem.ptr(key), Mem.len(key), out, out + 4);
      if (st == NOT_FOUND) {
        return Optional.empty();
      }
      ProxyWasmException.check("proxy_get_header_map_value", st);
      return Optional.of(Mem.readUtf8(Mem.getInt(out), Mem.getInt(out + 4)));
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
              type.code(), Mem.ptr(key), Mem.len(key), dataPtr(value), value.length));
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
              type.code(), Mem.ptr(key), Mem.len(key), Mem.ptr(val), Mem.len(val)));
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
              type.code(), Mem.ptr(key), Mem.len(key), dataPtr(value), value.length));
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
              type.code(), Mem.ptr(key), Mem.len(key), Mem.ptr(val), Mem.len(val)));
    } finally {
      Arena.release(mark);
    }
  }

  @Override
  public void removeHeaderMapValue(MapType type, String name) {
    int mark = Arena.mark();
    try {
      long key = Mem.writeUtf8(name);
      int st = Imports.proxyRemoveHeaderMapValue(type.code(), Mem.ptr(key), Mem.len(key));
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
      int st = Imports.proxyGetProperty(Mem.ptr(p), Mem.len(p), out, out + 4);
      if (st == NOT_FOUND) {
        return Optional.empty();
      }
      ProxyWasmException.check("proxy_get_property", st);
      return Optional.of(Mem.read(Mem.getInt(out), Mem.getInt(out + 4)));
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
          Imports.proxySetProperty(Mem.ptr(p), Mem.len(p), dataPtr(value), value.length));
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
              Mem.ptr(details),
              Mem.len(details),
              dataPtr(body),
              body.length,
              Mem.ptr(pairs),
              Mem.len(pairs),
              grpcStatus));
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

package io.rustless.testing.emulator;

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

/** The SDK's {@link Host} over a {@link ProxyState}: JVM mode's stand-in for the proxy. */
public final class EmulatedHost implements Host {
  private final ProxyState state;

  public EmulatedHost(ProxyState state) {
    this.state = state;
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
  public void setEffectiveContext(int contextId) {
    check("proxy_set_effective_context", state.switchEffectiveContext(contextId));
  }

  @Override
  public void done() {
    check("proxy_done", state.done());
  }
}

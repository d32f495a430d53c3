package io.rustless.sdk.host;

import io.rustless.sdk.internal.Utf8;
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

  /** {@code proxy_set_effective_context}: makes later calls act on context {@code contextId}. */
  void setEffectiveContext(int contextId);

  /** {@code proxy_done}: tells the host a context that returned "not done" is now done. */
  void done();
}

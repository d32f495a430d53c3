package io.rustless.sdk.internal.abi;

import org.teavm.interop.Import;

/**
 * The proxy-wasm host functions, one per ABI name ({@code proxy_x_y} → {@code proxyXY}). Pointers
 * are linear-memory addresses; every function returns a {@link io.rustless.sdk.host.Status} code.
 * TeaVM emits an import only if something reachable calls it, so a module imports exactly what its
 * plugin uses.
 */
final class Imports {
  private Imports() {}

  @Import(module = "env", name = "proxy_log")
  static native int proxyLog(int level, int messagePtr, int messageLen);

  @Import(module = "env", name = "proxy_get_log_level")
  static native int proxyGetLogLevel(int returnLevel);

  @Import(module = "env", name = "proxy_get_current_time_nanoseconds")
  static native int proxyGetCurrentTimeNanoseconds(int returnTime);

  @Import(module = "env", name = "proxy_get_buffer_bytes")
  static native int proxyGetBufferBytes(
      int bufferType, int start, int maxSize, int returnPtr, int returnLen);

  @Import(module = "env", name = "proxy_set_buffer_bytes")
  static native int proxySetBufferBytes(
      int bufferType, int start, int size, int dataPtr, int dataLen);

  @Import(module = "env", name = "proxy_get_header_map_pairs")
  static native int proxyGetHeaderMapPairs(int mapType, int returnPtr, int returnLen);

  @Import(module = "env", name = "proxy_set_header_map_pairs")
  static native int proxySetHeaderMapPairs(int mapType, int pairsPtr, int pairsLen);

  @Import(module = "env", name = "proxy_get_header_map_value")
  static native int proxyGetHeaderMapValue(
      int mapType, int keyPtr, int keyLen, int returnPtr, int returnLen);

  @Import(module = "env", name = "proxy_add_header_map_value")
  static native int proxyAddHeaderMapValue(
      int mapType, int keyPtr, int keyLen, int valuePtr, int valueLen);

  @Import(module = "env", name = "proxy_replace_header_map_value")
  static native int proxyReplaceHeaderMapValue(
      int mapType, int keyPtr, int keyLen, int valuePtr, int valueLen);

  @Import(module = "env", name = "proxy_remove_header_map_value")
  static native int proxyRemoveHeaderMapValue(int mapType, int keyPtr, int keyLen);

  @Import(module = "env", name = "proxy_get_property")
  static native int proxyGetProperty(int pathPtr, int pathLen, int returnPtr, int returnLen);

  @Import(module = "env", name = "proxy_set_property")
  static native int proxySetProperty(int pathPtr, int pathLen, int valuePtr, int valueLen);

  @Import(module = "env", name = "proxy_send_local_response")
  static native int proxySendLocalResponse(
      int statusCode,
      int detailsPtr,
      int detailsLen,
      int bodyPtr,
      int bodyLen,
      int headersPtr,
      int headersLen,
      int grpcStatus);

  @Import(module = "env", name = "proxy_continue_stream")
  static native int proxyContinueStream(int streamType);

  @Import(module = "env", name = "proxy_close_stream")
  static native int proxyCloseStream(int streamType);

  @Import(module = "env", name = "proxy_set_effective_context")
  static native int proxySetEffectiveContext(int contextId);

  @Import(module = "env", name = "proxy_done")
  static native int proxyDone();
}

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

  @Import(module = "env", name = "proxy_get_header_map_size")
  static native int proxyGetHeaderMapSize(int mapType, int returnSize);

  @Import(module = "env", name = "proxy_set_tick_period_milliseconds")
  static native int proxySetTickPeriodMilliseconds(int millis);

  @Import(module = "env", name = "proxy_get_shared_data")
  static native int proxyGetSharedData(
      int keyPtr, int keyLen, int returnValuePtr, int returnValueLen, int returnCas);

  @Import(module = "env", name = "proxy_set_shared_data")
  static native int proxySetSharedData(int keyPtr, int keyLen, int valuePtr, int valueLen, int cas);

  @Import(module = "env", name = "proxy_register_shared_queue")
  static native int proxyRegisterSharedQueue(int namePtr, int nameLen, int returnId);

  @Import(module = "env", name = "proxy_resolve_shared_queue")
  static native int proxyResolveSharedQueue(
      int vmIdPtr, int vmIdLen, int namePtr, int nameLen, int returnId);

  @Import(module = "env", name = "proxy_enqueue_shared_queue")
  static native int proxyEnqueueSharedQueue(int queueId, int valuePtr, int valueLen);

  @Import(module = "env", name = "proxy_dequeue_shared_queue")
  static native int proxyDequeueSharedQueue(int queueId, int returnValuePtr, int returnValueLen);

  @Import(module = "env", name = "proxy_define_metric")
  static native int proxyDefineMetric(int metricType, int namePtr, int nameLen, int returnId);

  @Import(module = "env", name = "proxy_increment_metric")
  static native int proxyIncrementMetric(int metricId, long offset);

  @Import(module = "env", name = "proxy_record_metric")
  static native int proxyRecordMetric(int metricId, long value);

  @Import(module = "env", name = "proxy_get_metric")
  static native int proxyGetMetric(int metricId, int returnValue);

  @Import(module = "env", name = "proxy_http_call")
  static native int proxyHttpCall(
      int upstreamPtr,
      int upstreamLen,
      int headersPtr,
      int headersLen,
      int bodyPtr,
      int bodyLen,
      int trailersPtr,
      int trailersLen,
      int timeoutMillis,
      int returnToken);

  @Import(module = "env", name = "proxy_grpc_call")
  static native int proxyGrpcCall(
      int upstreamPtr,
      int upstreamLen,
      int servicePtr,
      int serviceLen,
      int methodPtr,
      int methodLen,
      int metadataPtr,
      int metadataLen,
      int messagePtr,
      int messageLen,
      int timeoutMillis,
      int returnToken);

  @Import(module = "env", name = "proxy_grpc_stream")
  static native int proxyGrpcStream(
      int upstreamPtr,
      int upstreamLen,
      int servicePtr,
      int serviceLen,
      int methodPtr,
      int methodLen,
      int metadataPtr,
      int metadataLen,
      int returnToken);

  @Import(module = "env", name = "proxy_grpc_send")
  static native int proxyGrpcSend(int token, int messagePtr, int messageLen, int endOfStream);

  @Import(module = "env", name = "proxy_grpc_cancel")
  static native int proxyGrpcCancel(int token);

  @Import(module = "env", name = "proxy_grpc_close")
  static native int proxyGrpcClose(int token);

  @Import(module = "env", name = "proxy_call_foreign_function")
  static native int proxyCallForeignFunction(
      int namePtr, int nameLen, int argPtr, int argLen, int returnPtr, int returnLen);

  /** Higress extension (ABI 0.2.100 / Higress's 0.2.1). */
  @Import(module = "env", name = "proxy_redis_init")
  static native int proxyRedisInit(
      int upstreamPtr,
      int upstreamLen,
      int userPtr,
      int userLen,
      int passwordPtr,
      int passwordLen,
      int timeoutMillis);

  /** Higress extension: {@code query} is one RESP-encoded command. */
  @Import(module = "env", name = "proxy_redis_call")
  static native int proxyRedisCall(
      int upstreamPtr, int upstreamLen, int queryPtr, int queryLen, int returnToken);

  @Import(module = "env", name = "proxy_set_effective_context")
  static native int proxySetEffectiveContext(int contextId);

  @Import(module = "env", name = "proxy_done")
  static native int proxyDone();
}

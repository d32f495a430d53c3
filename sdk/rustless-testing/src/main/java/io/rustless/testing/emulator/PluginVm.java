package io.rustless.testing.emulator;

/**
 * A loaded plugin, driven through the proxy-wasm callbacks with their ABI integers. One
 * implementation calls the SDK's dispatcher on the JVM, the other calls the exports of the built
 * module in Chicory; the {@link io.rustless.testing.TestHost} above them does not know which.
 */
public interface PluginVm extends AutoCloseable {
  void onContextCreate(int contextId, int parentId);

  int onVmStart(int rootId, int vmConfigurationSize);

  int onConfigure(int rootId, int pluginConfigurationSize);

  void onTick(int rootId);

  int onRequestHeaders(int contextId, int numHeaders, boolean endOfStream);

  int onRequestBody(int contextId, int bodySize, boolean endOfStream);

  int onRequestTrailers(int contextId, int numTrailers);

  int onResponseHeaders(int contextId, int numHeaders, boolean endOfStream);

  int onResponseBody(int contextId, int bodySize, boolean endOfStream);

  int onResponseTrailers(int contextId, int numTrailers);

  void onQueueReady(int rootId, int queueId);

  void onForeignFunction(int rootId, int functionId, int dataSize);

  void onHttpCallResponse(int contextId, int token, int numHeaders, int bodySize, int numTrailers);

  void onGrpcReceiveInitialMetadata(int contextId, int token, int numHeaders);

  void onGrpcReceive(int contextId, int token, int messageSize);

  void onGrpcReceiveTrailingMetadata(int contextId, int token, int numTrailers);

  void onGrpcClose(int contextId, int token, int statusCode);

  void onRedisCallResponse(int contextId, int token, int status, int responseSize);

  int onDone(int contextId);

  void onLog(int contextId);

  void onDelete(int contextId);

  /** Exceptions the plugin threw and the SDK caught, as text. */
  java.util.List<String> pluginErrors();

  @Override
  void close();
}

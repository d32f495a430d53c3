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

  int onDone(int contextId);

  void onLog(int contextId);

  void onDelete(int contextId);

  /** Exceptions the plugin threw and the SDK caught, as text. */
  java.util.List<String> pluginErrors();

  @Override
  void close();
}

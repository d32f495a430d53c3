package io.rustless.sdk.api;

import io.rustless.sdk.host.BufferType;
import java.util.Optional;

/**
 * The plugin instance: receives the VM and plugin configuration and creates one {@link HttpContext}
 * per HTTP stream. Every callback has a no-op default.
 */
public interface RootContext extends Context {

  /** The VM started; {@code vmConfigurationSize} bytes of VM configuration are readable. */
  default StartStatus onVmStart(int vmConfigurationSize) {
    return StartStatus.OK;
  }

  /**
   * The plugin received its configuration ({@code pluginConfigurationSize} bytes, readable with
   * {@link #getPluginConfiguration()}). Return {@link StartStatus#FAILED} to reject it.
   */
  default StartStatus onConfigure(int pluginConfigurationSize) {
    return StartStatus.OK;
  }

  /** A timer tick (see {@link #setTickPeriod}). */
  default void onTick() {}

  /** Shared queue {@code queueId} has items (see {@link #registerSharedQueue}). */
  default void onQueueReady(int queueId) {}

  /**
   * The host called foreign function {@code functionId} with {@code dataSize} bytes of argument
   * (buffer {@code CALL_DATA}).
   */
  default void onForeignFunction(int functionId, int dataSize) {}

  /** Calls {@link #onTick} every {@code millis} (0 stops). */
  default void setTickPeriod(int millis) {
    host().setTickPeriod(millis);
  }

  /**
   * A new HTTP stream starts. Return its context, or {@code null} to let the stream pass this
   * plugin untouched.
   */
  default HttpContext createHttpContext(int contextId) {
    return null;
  }

  /** The plugin configuration; only readable during {@link #onConfigure}. */
  default Optional<byte[]> getPluginConfiguration() {
    return host().getBufferBytes(BufferType.PLUGIN_CONFIGURATION, 0, Integer.MAX_VALUE);
  }

  /** The VM configuration; only readable during {@link #onVmStart}. */
  default Optional<byte[]> getVmConfiguration() {
    return host().getBufferBytes(BufferType.VM_CONFIGURATION, 0, Integer.MAX_VALUE);
  }
}

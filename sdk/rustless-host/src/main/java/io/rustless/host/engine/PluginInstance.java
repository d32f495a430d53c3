package io.rustless.host.engine;

/**
 * One running instance of a plugin, the code of one VM. The VM calls it one callback at a time;
 * host calls made while a callback runs act on the VM's state.
 */
public interface PluginInstance extends AutoCloseable {
  /**
   * Calls {@code export} with the ABI's i32 arguments; its result, 0 for callbacks without one, or
   * {@link Export#absentResult()} if the plugin does not export it.
   *
   * @throws io.rustless.host.PluginTrapException if the plugin traps
   */
  int call(Export export, int... args);

  /** Linear memory in bytes, or -1 for an engine without one (the JVM). */
  default long memoryBytes() {
    return -1;
  }

  /** Free bytes in the plugin's own heap, or -1 if it does not say. */
  default long heapFreeBytes() {
    return -1;
  }

  /** Contexts the plugin's dispatcher holds, or -1 if the engine cannot see inside. */
  default int liveContexts() {
    return -1;
  }

  @Override
  default void close() {}
}

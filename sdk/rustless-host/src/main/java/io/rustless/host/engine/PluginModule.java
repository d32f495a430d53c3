package io.rustless.host.engine;

import io.rustless.host.state.VmState;

/**
 * Plugin code an engine has loaded (a compiled Wasm module, or a plugin's classes on the JVM): it
 * makes one {@link PluginInstance} per VM. Loading is the expensive part; instantiating is cheap.
 */
public interface PluginModule {
  /**
   * A new instance whose host calls act on {@code state}, with its start-up code run ({@code
   * _initialize}, or the plugin's {@code main}).
   *
   * @throws io.rustless.host.PluginTrapException if the start-up code traps
   */
  PluginInstance instantiate(VmState state);

  /** What it is, for messages (e.g. the module's path and size). */
  String describe();
}

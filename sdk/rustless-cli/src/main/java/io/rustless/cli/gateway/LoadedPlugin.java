package io.rustless.cli.gateway;

/** A plugin the gateway runs; see {@link PluginLoader}. */
public interface LoadedPlugin {
  /**
   * The plugin left the configuration: requests that started with it finish with it, then its VMs
   * are closed. Called once.
   */
  void retire();
}

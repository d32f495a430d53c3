package io.rustless.cli.gateway;

import java.util.Map;

/**
 * A loaded plugin the data plane opens streams on. A request pins every plugin of the configuration
 * it started with, so that a reload that retires a plugin closes it only once those requests are
 * done.
 */
public interface GatewayPlugin extends LoadedPlugin {
  /** Keeps the plugin open for one more request; false if it is already closed. */
  boolean pin();

  /** The request that pinned the plugin is done. */
  void unpin();

  /**
   * A new stream on the plugin's VM for {@code worker} (as Envoy runs one VM per plugin per
   * worker), with stream properties such as {@code route_name} and {@code cluster_name}.
   *
   * @throws PluginFailedException if the VM has failed or fails creating the stream's context
   */
  PluginStream open(int worker, Map<String, String> properties);
}

package io.rustless.cli.gateway;

import io.rustless.cli.gateway.higress.FailStrategy;
import io.rustless.cli.gateway.higress.PluginDeployment;
import io.rustless.cli.gateway.higress.RouteTable;
import java.util.List;
import java.util.Objects;

/**
 * What the gateway serves at one moment: the routes and the plugin chain. Immutable; a request
 * takes the configuration current when it arrives and keeps it to its end, so a reload never
 * changes a request half-way.
 *
 * @param generation counts the resource snapshots applied so far
 * @param chain in the order a request meets the plugins
 */
public record GatewayConfig<P extends LoadedPlugin>(
    long generation, RouteTable routes, List<ChainEntry<P>> chain) {

  public GatewayConfig {
    Objects.requireNonNull(routes);
    chain = List.copyOf(chain);
  }

  public static <P extends LoadedPlugin> GatewayConfig<P> empty() {
    return new GatewayConfig<>(0, RouteTable.empty(), List.of());
  }

  /** One plugin of the chain. */
  public sealed interface ChainEntry<P extends LoadedPlugin> {
    PluginDeployment deployment();
  }

  /**
   * A plugin that runs.
   *
   * @param moduleSha256 of the module it runs, hex
   * @param source how the module was obtained ("pulled …", "cached …", "file …")
   */
  public record Active<P extends LoadedPlugin>(
      PluginDeployment deployment, P plugin, String moduleSha256, String source)
      implements ChainEntry<P> {}

  /**
   * A plugin that has never loaded: its failStrategy decides what requests meet (FAIL_CLOSE: a 503;
   * FAIL_OPEN: nothing, the plugin is skipped).
   */
  public record Unavailable<P extends LoadedPlugin>(PluginDeployment deployment, String reason)
      implements ChainEntry<P> {
    public boolean failsOpen() {
      return deployment.failStrategy() == FailStrategy.FAIL_OPEN;
    }
  }
}

package io.rustless.cli.gateway;

import io.rustless.cli.gateway.GatewayConfig.Active;
import io.rustless.cli.gateway.fetch.ModuleFetcher;
import io.rustless.cli.gateway.higress.FailStrategy;
import io.rustless.cli.gateway.higress.PluginDeployment;
import io.rustless.cli.gateway.higress.PluginPhase;
import io.rustless.cli.gateway.higress.PullPolicy;
import io.rustless.cli.gateway.higress.RouteTable;
import io.rustless.cli.oci.Blob;
import io.rustless.cli.serve.ClusterRoutes;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One plugin loaded into the gateway core without any resources: what {@code rustless serve} runs,
 * a chain of one with no routes. Loading fails, with a {@link io.rustless.cli.ToolException} that
 * says why, if the module does not load or the plugin rejects its configuration.
 */
public final class ServedPlugin implements AutoCloseable {
  private final HostLoader loader;
  private final HostLoader.Plugin plugin;
  private final GatewayConfig<GatewayPlugin> config;

  private ServedPlugin(
      HostLoader loader, HostLoader.Plugin plugin, GatewayConfig<GatewayPlugin> config) {
    this.loader = loader;
    this.plugin = plugin;
    this.config = config;
  }

  /**
   * Loads {@code wasm} with {@code configuration}, {@code workers} VMs.
   *
   * @param name what the module is called (its file name)
   * @param source where the module came from (a path)
   */
  public static ServedPlugin load(
      String name,
      String source,
      byte[] wasm,
      String configuration,
      ClusterRoutes clusters,
      int workers,
      Consumer<String> log) {
    PluginDeployment d =
        new PluginDeployment(
            "serve",
            "the plugin",
            "file://" + source,
            "",
            PullPolicy.UNSPECIFIED_POLICY,
            "",
            "",
            PluginPhase.UNSPECIFIED_PHASE,
            Optional.empty(),
            FailStrategy.FAIL_CLOSE,
            List.of(),
            configuration,
            "",
            List.of());
    // One plugin: its log lines need no name, and the access log says "the plugin".
    HostLoader loader = new HostLoader(clusters, workers, log, x -> "plugin ", x -> "");
    String sha = Blob.sha256Hex(wasm);
    HostLoader.Plugin plugin;
    try {
      plugin =
          (HostLoader.Plugin)
              loader.load(d, new ModuleFetcher.FetchedModule(wasm, sha, false, "file " + source));
    } catch (RuntimeException e) {
      loader.close();
      throw e;
    }
    GatewayConfig<GatewayPlugin> config =
        new GatewayConfig<>(
            1, RouteTable.empty(), List.of(new Active<>(d, plugin, sha, "file " + source)));
    return new ServedPlugin(loader, plugin, config);
  }

  /** The configuration the gateway core serves: this plugin alone. */
  public GatewayConfig<GatewayPlugin> config() {
    return config;
  }

  /** The number of workers (VMs serving at once). */
  public int workers() {
    return plugin.workers();
  }

  /** How many VMs were started in all, replacements of failed ones included. */
  public int vmsStarted() {
    return plugin.vmsStarted();
  }

  @Override
  public void close() {
    plugin.retire();
    loader.close();
  }
}

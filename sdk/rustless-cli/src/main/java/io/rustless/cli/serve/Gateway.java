package io.rustless.cli.serve;

import io.rustless.cli.ToolException;
import io.rustless.cli.UsageException;
import io.rustless.cli.gateway.ServedPlugin;
import io.rustless.cli.gateway.http.GatewayServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code rustless serve}: the gateway core ({@link GatewayServer}, the one {@code rustless gateway}
 * runs) with a chain of one plugin, no routes, and the {@code route_name}/{@code cluster_name} the
 * command line gives every request. The plugin runs in Rustless's proxy-wasm host, one VM per
 * worker, each VM serving many requests at once; its calls out to {@code --cluster} upstreams are
 * made for real while the VM serves other requests. Requests and responses stream through as the
 * gateway's do (see {@link GatewayServer}); a request the plugin passes goes to {@code --upstream},
 * or gets 404 without one, as Envoy answers a request it has no route for.
 */
public final class Gateway implements AutoCloseable {
  private final ServedPlugin plugin;
  private final GatewayServer server;

  private Gateway(ServedPlugin plugin, GatewayServer server) {
    this.plugin = plugin;
    this.server = server;
  }

  /** What to serve. */
  public record Config(
      Path wasm,
      String pluginConfiguration,
      URI upstream,
      InetSocketAddress listen,
      ClusterRoutes clusters,
      Map<String, String> properties,
      int workers,
      Consumer<String> log) {
    public Config {
      Objects.requireNonNull(wasm);
      Objects.requireNonNull(pluginConfiguration);
      Objects.requireNonNull(listen);
      clusters = clusters == null ? ClusterRoutes.none() : clusters;
      properties = properties == null ? Map.of() : Map.copyOf(properties);
      Objects.requireNonNull(log);
      if (workers < 1) {
        throw new UsageException("--workers must be at least 1");
      }
    }
  }

  /**
   * Loads the plugin (its configuration must be accepted) and starts listening; a {@link
   * ToolException} says why not.
   */
  public static Gateway start(Config config) {
    byte[] wasm;
    try {
      wasm = Files.readAllBytes(config.wasm());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + config.wasm(), e);
    }
    ServedPlugin plugin =
        ServedPlugin.load(
            config.wasm().getFileName().toString(),
            config.wasm().toString(),
            wasm,
            config.pluginConfiguration(),
            config.clusters(),
            config.workers(),
            config.log());
    GatewayServer server;
    try {
      server =
          GatewayServer.builder()
              .listen(config.listen())
              .config(plugin::config)
              .defaultUpstream(config.upstream())
              .workers(config.workers())
              .properties(config.properties())
              .accessLog(config.log())
              .start();
    } catch (RuntimeException e) {
      plugin.close();
      throw e;
    }
    return new Gateway(plugin, server);
  }

  /** The number of workers, i.e. of VMs serving at once. */
  public int workers() {
    return plugin.workers();
  }

  /** How many VMs were started in all (replacements of failed ones included). */
  public int vmsStarted() {
    return plugin.vmsStarted();
  }

  /** The address it listens on (the port is resolved if 0 was asked for). */
  public InetSocketAddress address() {
    return server.address();
  }

  public String url() {
    return server.url();
  }

  @Override
  public void close() {
    server.close();
    plugin.close();
  }
}

package io.rustless.cli.command;

import io.rustless.cli.Console;
import io.rustless.cli.RustlessCli;
import io.rustless.cli.UsageException;
import io.rustless.cli.serve.Gateway;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rustless serve <extension|plugin.wasm> --upstream … --listen …}. */
@Command(
    name = "serve",
    header = "Serve a plugin as a local gateway for curl.",
    description = {
      "Run a small local gateway that applies the plugin to real HTTP traffic, so curl through it"
          + " behaves as through Higress: request and response headers and bodies (buffered or"
          + " streamed, server-sent events flushed chunk by chunk) and the plugin's own replies."
          + " Runs until interrupted (Ctrl-C)."
    })
public final class ServeCommand implements Runnable {
  @ParentCommand private RustlessCli cli;

  @Option(
      names = {"-u", "--upstream"},
      paramLabel = "<url>",
      description =
          "Where requests the plugin passes go, e.g. http://127.0.0.1:8080 (without it they get"
              + " 404, as Envoy answers a request it has no route for).")
  private String upstream;

  @Mixin private ListenOptions listen;

  @Option(
      names = "--route-name",
      paramLabel = "<route>",
      description = "The route_name property every request gets (for _match_route_ rules).")
  private String routeName;

  @Option(
      names = "--cluster-name",
      paramLabel = "<cluster>",
      description = "The cluster_name property every request gets (for _match_service_ rules).")
  private String clusterName;

  @Option(
      names = "--workers",
      paramLabel = "<n>",
      defaultValue = "4",
      description =
          "Workers, each with its own VM of the plugin (as Envoy runs one per worker thread);"
              + " a VM serves any number of requests at once (default: ${DEFAULT-VALUE}).")
  private int workers;

  @Mixin private PluginOptions options;

  @Override
  public void run() {
    Console console = cli.console();
    InetSocketAddress address = listen.address();
    URI upstreamUri = upstream == null ? null : parseUpstream(upstream);
    var routes = options.clusters();
    PluginTarget plugin = options.plugin(cli);
    String configText = options.configuration(plugin);
    Map<String, String> properties = new LinkedHashMap<>();
    if (routeName != null) {
      properties.put("route_name", routeName);
    }
    if (clusterName != null) {
      properties.put("cluster_name", clusterName);
    }
    Gateway gateway =
        Gateway.start(
            new Gateway.Config(
                plugin.wasm(),
                configText,
                upstreamUri,
                address,
                routes,
                properties,
                workers,
                line -> console.err().println(line)));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  stopped.countDown();
                },
                "rustless-serve-stop"));
    console.step(
        "Serving "
            + plugin.name()
            + " on "
            + gateway.url()
            + (upstreamUri == null ? " (no upstream)" : " -> " + upstreamUri)
            + "; Ctrl-C stops");
    console.result(gateway.url());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      gateway.close();
    }
  }

  static URI parseUpstream(String text) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException("bad --upstream '" + text + "': " + e.getMessage(), e);
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new UsageException("bad --upstream '" + text + "': expected http://host:port");
    }
    return uri;
  }
}

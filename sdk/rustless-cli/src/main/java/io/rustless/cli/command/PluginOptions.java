package io.rustless.cli.command;

import io.rustless.cli.RustlessCli;
import io.rustless.cli.project.Extension;
import io.rustless.cli.serve.ClusterRoutes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code run} and {@code serve} share: the plugin, its configuration, and the clusters its
 * calls out go to.
 */
final class PluginOptions {
  @Parameters(
      paramLabel = "<extension|plugin.wasm>",
      description = "The plugin: an extension (its name or folder) or a built plugin.wasm.")
  private String target;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "<file>",
      description = "Plugin configuration JSON (default: the extension's src/demo/config.json).")
  private Path config;

  @Option(
      names = "--cluster",
      paramLabel = "<name=url>",
      description =
          "Route the plugin's calls to a cluster: HTTP calls to an http:// url, Redis calls to a"
              + " redis:// one, e.g. 'outbound|80||llm.dns=http://127.0.0.1:8081',"
              + " 'redis.dns=redis://127.0.0.1:6379'; repeatable.")
  private List<String> clusters = new ArrayList<>();

  /** The plugin, checked to exist (a usage error says what to build). */
  PluginTarget plugin(RustlessCli cli) {
    return PluginTarget.resolve(target, cli);
  }

  /** The configuration text: --config, else the extension's demo configuration, else "". */
  String configuration(PluginTarget plugin) {
    return PluginConfigFile.read(config, plugin.extension().flatMap(Extension::demoConfig));
  }

  /** The --cluster routes (a usage error names a bad one). */
  ClusterRoutes clusters() {
    return ClusterRoutes.parse(clusters);
  }
}

package io.rustless.cli.command;

import io.rustless.cli.ExitCode;
import io.rustless.cli.RustlessCli;
import io.rustless.cli.ToolException;
import io.rustless.cli.UsageException;
import io.rustless.cli.project.Extension;
import io.rustless.host.tool.PluginRunner;
import io.rustless.host.tool.SampleRequest;
import io.rustless.host.upstream.Upstreams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rustless run <extension|plugin.wasm> --config <file> --request …}. */
@Command(
    name = "run",
    header = "Run a plugin on sample requests and print what a client sees.",
    description = {
      "Run a built plugin in the embedded proxy-wasm host on sample requests and print what a"
          + " client would see: the plugin's own reply, or the request as it passes it upstream.",
      "A request is: METHOD URL [name: value]... [@route=ROUTE] [@cluster=CLUSTER] [<< BODY]",
      "  e.g. 'GET http://foo.example.com/api x-user: alice'"
    })
public final class RunCommand implements Runnable {
  @ParentCommand private RustlessCli cli;

  @Mixin private PluginOptions options;

  @Option(
      names = {"-r", "--request"},
      paramLabel = "<request>",
      description = "A request to send; repeatable.")
  private List<String> requests = new ArrayList<>();

  @Option(
      names = "--requests",
      paramLabel = "<file>",
      description =
          "A file of requests, one a line (default without --request: the extension's"
              + " src/demo/requests.txt).")
  private Path requestsFile;

  @Override
  public void run() {
    PluginTarget plugin = options.plugin(cli);
    Optional<Extension> ext = plugin.extension();
    String configText = options.configuration(plugin);
    Upstreams upstreams = options.clusters().upstreams();
    List<SampleRequest> parsed = new ArrayList<>();
    int n = 0;
    for (String r : requests) {
      n++;
      parsed.add(parse(r, "--request #" + n));
    }
    Path file = requestsFile;
    if (file == null && requests.isEmpty()) {
      file = ext.flatMap(Extension::demoRequests).orElse(null);
    }
    if (file != null) {
      parsed.addAll(readRequests(file));
    }
    if (parsed.isEmpty()) {
      throw new UsageException(
          "no requests: give --request 'GET http://example.com/' or --requests <file>");
    }
    boolean ok;
    try {
      ok = new PluginRunner(cli.console().out(), upstreams).run(plugin.wasm(), configText, parsed);
    } catch (RuntimeException e) {
      throw new ToolException(
          ExitCode.PLUGIN, plugin.name() + " failed in the embedded host: " + e.getMessage(), e);
    } finally {
      upstreams.close();
    }
    cli.console().out().flush();
    if (!ok) {
      throw new ToolException(
          ExitCode.PLUGIN, plugin.name() + " rejected its configuration (see its log lines above)");
    }
  }

  private static SampleRequest parse(String line, String where) {
    try {
      return SampleRequest.parse(line);
    } catch (IllegalArgumentException e) {
      throw new UsageException(where + ": " + e.getMessage(), e);
    }
  }

  static List<SampleRequest> readRequests(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException(
          "cannot read requests file " + file + ": " + PluginConfigFile.describe(e), e);
    }
    List<SampleRequest> out = new ArrayList<>();
    int n = 0;
    for (String line : lines) {
      n++;
      if (line.isBlank() || line.trim().startsWith("#")) {
        continue;
      }
      out.add(parse(line, file + ":" + n));
    }
    return out;
  }
}

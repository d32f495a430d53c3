package io.rustless.cli.command;

import io.rustless.cli.Console;
import io.rustless.cli.RustlessCli;
import io.rustless.cli.UsageException;
import io.rustless.cli.project.Extension;
import io.rustless.cli.project.ExtensionBuilder;
import io.rustless.cli.project.Workspace;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rustless build [<extension>…]}. */
@Command(
    name = "build",
    header = "Build extensions to plugin.wasm.",
    description = {
      "Build extensions to target/plugin.wasm with Maven (mvn -pl extensions/<name> -am package"
          + " -DskipTests) and check each module as a proxy would load it. Without a name, builds"
          + " every extension."
    })
public final class BuildCommand implements Runnable {
  @ParentCommand private RustlessCli cli;

  @Parameters(paramLabel = "<extension>", arity = "0..*", description = "Extension names.")
  private List<String> names = new ArrayList<>();

  @Option(
      names = {"-o", "--offline"},
      description = "Maven must not use the network.")
  private boolean offline;

  @Option(
      names = "--maven-arg",
      paramLabel = "<arg>",
      description = "An extra argument for Maven, e.g. --maven-arg=-Dmaven.repo.local=/tmp/m2.")
  private List<String> mavenArgs = new ArrayList<>();

  @Override
  public void run() {
    Console console = cli.console();
    Workspace ws = cli.workspace();
    List<Extension> targets = new ArrayList<>();
    if (names.isEmpty()) {
      targets.addAll(ws.extensions());
      if (targets.isEmpty()) {
        throw new UsageException("no extensions in " + ws.extensionsDir());
      }
    } else {
      for (String n : names) {
        targets.add(ws.extension(n));
      }
    }
    List<String> shown = targets.stream().map(Extension::name).toList();
    console.step("Building " + String.join(", ", shown));
    long start = System.nanoTime();
    List<ExtensionBuilder.Built> built =
        ExtensionBuilder.builder()
            .offline(offline)
            .verbose(cli.verbose())
            .mavenArguments(mavenArgs)
            .progress(console::detail)
            .build()
            .build(ws, targets);
    console.step(
        String.format(
            "Built %d plugin%s in %.1f s",
            built.size(), built.size() == 1 ? "" : "s", (System.nanoTime() - start) / 1e9));
    for (ExtensionBuilder.Built b : built) {
      console.result(
          String.format(
              "%s  %s  %,d bytes  sha256:%s",
              b.extension().name(), ws.root().relativize(b.wasm()), b.size(), b.sha256()));
    }
  }
}

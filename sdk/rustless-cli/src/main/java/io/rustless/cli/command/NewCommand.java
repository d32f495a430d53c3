package io.rustless.cli.command;

import io.rustless.cli.Console;
import io.rustless.cli.RustlessCli;
import io.rustless.cli.project.Scaffold;
import io.rustless.cli.project.Workspace;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rustless new <name>}. */
@Command(
    name = "new",
    header = "Create an extension from the template.",
    description = {
      "Create extensions/<name> from the extension template: pom, plugin class, config record,"
          + " dual-mode and docs tests, README.md, spec.yaml and a demo; and add it to"
          + " extensions/pom.xml. It builds and passes its tests as generated."
    })
public final class NewCommand implements Runnable {
  @ParentCommand private RustlessCli cli;

  @Parameters(
      paramLabel = "<name>",
      description = "Lower-case letters, digits and dashes, e.g. my-plugin (at most 30).")
  private String name;

  @Override
  public void run() {
    Console console = cli.console();
    Scaffold.validateName(name);
    Workspace ws = cli.workspace();
    Scaffold.Created created = new Scaffold(ws).create(name);
    Path dir = created.extension().dir();
    console.step("Created extension " + name + " in " + ws.root().relativize(dir));
    for (Path f : created.files()) {
      console.detail(dir.relativize(f).toString());
    }
    console.detail(
        "(module added to extensions/pom.xml; plugin class " + created.pluginClass() + ")");
    console.step("Next: rustless build " + name + "   then   rustless run " + name);
    console.result(dir.toString());
  }
}

package io.rustless.cli;

import io.rustless.cli.command.BuildCommand;
import io.rustless.cli.command.GatewayCommand;
import io.rustless.cli.command.NewCommand;
import io.rustless.cli.command.PublishCommand;
import io.rustless.cli.command.PushCommand;
import io.rustless.cli.command.RunCommand;
import io.rustless.cli.command.ServeCommand;
import io.rustless.cli.command.VerifyCommand;
import io.rustless.cli.project.Workspace;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code rustless}: the plugin author's tool. One class per command in {@code …cli.command}. */
@Command(
    name = "rustless",
    // Inherited by every subcommand: --help and --version everywhere.
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = RustlessCli.Version.class,
    description = {
      "Write Higress Wasm plugins in Java: scaffold, build, run locally, serve for curl, push to an"
          + " OCI registry in the layout Higress loads, and verify what was pushed.",
      ""
    },
    subcommands = {
      NewCommand.class,
      BuildCommand.class,
      RunCommand.class,
      ServeCommand.class,
      GatewayCommand.class,
      PushCommand.class,
      VerifyCommand.class,
      PublishCommand.class,
      io.rustless.cli.command.RegistryCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RustlessCli implements Runnable {
  static {
    // serve forwards the client's Host header upstream, as Envoy does; the JDK client refuses to
    // set it unless told before its first use.
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    // serve and gateway answer on the JDK's HTTP server, which writes headers and body apart: with
    // Nagle's algorithm on, a keep-alive client's delayed ACK holds each answer ~40 ms.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Show all of Maven's output and stack traces of errors.")
  private boolean verbose;

  @Option(
      names = "--repo",
      scope = ScopeType.INHERIT,
      paramLabel = "<dir>",
      defaultValue = "${env:RUSTLESS_REPO}",
      description =
          "The Rustless checkout (default: $RUSTLESS_REPO, else the folder with pom.xml and"
              + " extensions/ at or above the current one).")
  private Path repo;

  private final PrintStream out;
  private final PrintStream err;
  private Console console;

  private RustlessCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int code = execute(System.out, System.err, args);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  /** Runs the tool with {@code args}; returns the exit code instead of exiting. */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    RustlessCli app = new RustlessCli(out, err);
    CommandLine cmd = new CommandLine(app);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    Map<String, String> codes = new LinkedHashMap<>();
    for (ExitCode c : ExitCode.values()) {
      codes.put(String.format("%3d", c.code()), c.meaning());
    }
    applyExitCodes(cmd, codes);
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          String name = ex.getCommandLine().getCommandSpec().qualifiedName();
          String message = ex.getMessage().replaceFirst("^Error: ", "");
          err.println("error: " + message + " (see '" + name + " --help')");
          err.flush();
          return ExitCode.USAGE.code();
        });
    cmd.setExecutionExceptionHandler((ex, c, parsed) -> app.report(ex));
    return cmd.execute(args);
  }

  private static void applyExitCodes(CommandLine cmd, Map<String, String> codes) {
    cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    for (CommandLine sub : cmd.getSubcommands().values()) {
      applyExitCodes(sub, codes);
    }
  }

  /** Prints the one line for {@code ex} and returns the exit code. */
  int report(Exception ex) {
    Console c = console();
    if (verbose) {
      ex.printStackTrace(err);
    }
    if (ex instanceof ToolException t) {
      err.println("error: " + t.getMessage());
      err.flush();
      return t.exitCode().code();
    }
    if (ex instanceof UncheckedIOException u) {
      err.println("error: " + u.getMessage());
      err.flush();
      return ExitCode.INTERNAL.code();
    }
    err.println(
        "error: internal error: "
            + ex
            + (c.verbose() ? "" : " (run again with --verbose for the stack trace)"));
    err.flush();
    return ExitCode.INTERNAL.code();
  }

  @Override
  public void run() {
    new CommandLine(this).usage(out);
  }

  /** Where commands write; created once the options are parsed. */
  public Console console() {
    if (console == null) {
      console = new Console(out, err, verbose);
    }
    return console;
  }

  public boolean verbose() {
    return verbose;
  }

  /** The checkout the commands work in (see --repo). */
  public Workspace workspace() {
    return Workspace.locate(Optional.ofNullable(repo));
  }

  /** The checkout, if there is one. */
  public Optional<Workspace> findWorkspace() {
    if (repo != null) {
      return Optional.of(Workspace.locate(Optional.of(repo)));
    }
    return Workspace.find(Path.of(""));
  }

  /** The version from the jar's manifest ({@code dev} when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RustlessCli.class.getPackage().getImplementationVersion();
      return new String[] {"rustless " + (v == null ? "dev" : v)};
    }
  }
}

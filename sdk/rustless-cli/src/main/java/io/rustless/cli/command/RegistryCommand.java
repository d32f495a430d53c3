package io.rustless.cli.command;

import io.rustless.cli.Console;
import io.rustless.cli.ExitCode;
import io.rustless.cli.RustlessCli;
import io.rustless.cli.ToolException;
import io.rustless.cli.UsageException;
import io.rustless.cli.registry.OciRegistry;
import io.rustless.cli.registry.RegistryStorage;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rustless registry --listen … [--dir …] [--username … --password-file …]}. */
@Command(
    name = "registry",
    header = "Run a local OCI registry (nothing to install).",
    description = {
      "Serve the OCI distribution API over plain HTTP from this JVM: enough for push, verify,"
          + " publish and for gateways that pull plugins (Higress, Istio). Push to it with"
          + " --plain-http. Keeps images in memory, or in --dir across restarts. Runs until"
          + " interrupted (Ctrl-C)."
    })
public final class RegistryCommand implements Runnable {
  @ParentCommand private RustlessCli cli;

  @Option(
      names = {"-l", "--listen"},
      paramLabel = "<host:port>",
      defaultValue = "127.0.0.1:5000",
      description = "Where to listen (default: ${DEFAULT-VALUE}).")
  private String listen;

  @Option(
      names = "--dir",
      paramLabel = "<dir>",
      description = "Store images in this directory (created if missing); default: in memory.")
  private Path dir;

  @Option(
      names = "--username",
      paramLabel = "<user>",
      description = "Require HTTP basic authentication as this user (with --password-file).")
  private String username;

  @Option(
      names = "--password-file",
      paramLabel = "<file>",
      description = "The file holding that user's password (its first line).")
  private Path passwordFile;

  @Option(names = "--quiet", description = "Do not log each request.")
  private boolean quiet;

  @Override
  public void run() {
    Console console = cli.console();
    InetSocketAddress address = ListenOptions.parse(listen);
    OciRegistry.Builder b = OciRegistry.builder().address(address);
    if ((username == null) != (passwordFile == null)) {
      throw new UsageException("--username and --password-file go together");
    }
    if (username != null) {
      String password = readPassword(passwordFile);
      try {
        b.credentials(username, password);
      } catch (IllegalArgumentException e) {
        throw new UsageException("bad credentials: " + e.getMessage(), e);
      }
    }
    RegistryStorage storage;
    try {
      storage = dir == null ? RegistryStorage.inMemory() : RegistryStorage.directory(dir);
    } catch (IOException e) {
      throw new UsageException("cannot use " + dir + " for storage: " + e.getMessage(), e);
    }
    b.storage(storage);
    if (!quiet) {
      b.accessLog(line -> console.err().println(line));
    }
    OciRegistry registry;
    try {
      registry = b.start();
    } catch (BindException e) {
      throw new UsageException("cannot listen on " + listen + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ToolException(
          ExitCode.INTERNAL, "cannot start the registry on " + listen + ": " + e.getMessage(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  registry.close();
                  stopped.countDown();
                },
                "rustless-registry-stop"));
    console.step(
        "Registry on "
            + registry.url()
            + " (storage: "
            + (dir == null ? "memory" : dir.toAbsolutePath())
            + (username == null ? ", anonymous" : ", user " + username)
            + "); push with --plain-http; Ctrl-C stops");
    console.result(registry.host());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      registry.close();
    }
  }

  private static String readPassword(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      String line = (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
      if (line.isEmpty()) {
        throw new UsageException("password file " + file + " is empty");
      }
      return line;
    } catch (NoSuchFileException e) {
      throw new UsageException("password file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UsageException("cannot read password file " + file + ": " + e.getMessage(), e);
    }
  }
}

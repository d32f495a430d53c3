package io.rustless.cli.command;

import io.rustless.cli.Console;
import io.rustless.cli.ExitCode;
import io.rustless.cli.RustlessCli;
import io.rustless.cli.ToolException;
import io.rustless.cli.UsageException;
import io.rustless.cli.oci.ImageReference;
import io.rustless.cli.oci.ImageVerifier;
import io.rustless.cli.oci.VerifyReport;
import io.rustless.host.PluginTrapException;
import io.rustless.host.ProxyHost;
import io.rustless.host.Vm;
import io.rustless.host.chicory.ChicoryModule;
import io.rustless.host.tool.PluginRunner;
import io.rustless.host.tool.SampleRequest;
import io.rustless.sdk.api.StartStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rustless verify <image>}. */
@Command(
    name = "verify",
    header = "Check a pushed image as Higress's image fetcher reads it.",
    description = {
      "Pull an image and check it as Higress's image fetcher reads it: the last layer a tar+gzip"
          + " holding plugin.wasm (or the two-layer raw Wasm variant), digests and sizes as the"
          + " manifest says, and a proxy-wasm module inside that a proxy would load. With --config,"
          + " also start the module in the embedded host with that configuration, and with"
          + " --request send it requests and print what a client sees (as run does)."
    })
public final class VerifyCommand implements Runnable {
  @ParentCommand private RustlessCli cli;

  @Parameters(
      paramLabel = "<image>",
      description = "registry/repo:tag or registry/repo@sha256:… (oci:// accepted).")
  private String image;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "<file>",
      description = "Also start the plugin with this configuration JSON.")
  private Path config;

  @Option(
      names = {"-r", "--request"},
      paramLabel = "<request>",
      description = "With --config: a request to send to the pulled plugin; repeatable.")
  private List<String> requests = new ArrayList<>();

  @Mixin private RegistryOptions registry;

  @Override
  public void run() {
    Console console = cli.console();
    ImageReference ref = ImageReference.parse(image);
    String configText = config == null ? null : PluginConfigFile.read(config, Optional.empty());
    if (!requests.isEmpty() && configText == null) {
      throw new UsageException("--request needs --config: the plugin starts with a configuration");
    }
    List<SampleRequest> parsed = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      try {
        parsed.add(SampleRequest.parse(requests.get(i)));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--request #" + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    console.step("Verifying " + ref);
    VerifyReport report =
        new ImageVerifier(registry.access(System.in), console::detail).verify(ref);
    if (configText != null) {
      start(report, configText, parsed, console);
    }
    console.result(
        "verified   "
            + ref
            + " ("
            + report.variant()
            + " layout, ABI "
            + report.abiVersion()
            + ")");
    console.result("url        " + report.wasmPluginUrl());
  }

  private static void start(
      VerifyReport report, String configText, List<SampleRequest> requests, Console console) {
    ChicoryModule module;
    try {
      module =
          ChicoryModule.of(report.wasm(), ChicoryModule.Engine.COMPILER, report.image().toString());
    } catch (IllegalArgumentException e) {
      throw new ToolException(ExitCode.PLUGIN, e.getMessage(), e);
    }
    try (Vm vm =
        ProxyHost.create()
            .vm(module)
            .pluginConfiguration(configText)
            .logSink(line -> console.detail("log " + line))
            .start()) {
      if (vm.startStatus() != StartStatus.OK) {
        throw new ToolException(
            ExitCode.PLUGIN, "the plugin in " + report.image() + " rejected the configuration");
      }
      console.detail("ok  started in the embedded host with the configuration");
    } catch (PluginTrapException | IllegalStateException e) {
      throw new ToolException(ExitCode.PLUGIN, "the plugin failed to start: " + e.getMessage(), e);
    }
    if (!requests.isEmpty()) {
      send(report, configText, requests, console);
    }
  }

  private static void send(
      VerifyReport report, String configText, List<SampleRequest> requests, Console console) {
    Path tmp;
    try {
      tmp = Files.createTempFile("rustless-verify-", ".wasm");
      Files.write(tmp, report.wasm());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a temporary file: " + e.getMessage(), e);
    }
    try {
      new PluginRunner(console.out()).run(tmp, configText, requests);
      console.out().println();
      console.out().flush();
    } catch (RuntimeException e) {
      throw new ToolException(
          ExitCode.PLUGIN, "the plugin failed on a request: " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // a temporary file left behind is harmless
      }
    }
  }
}

package io.rustless.cli.command;

import io.rustless.cli.Console;
import io.rustless.cli.RustlessCli;
import io.rustless.cli.oci.ImageLayout;
import io.rustless.cli.oci.ImageReference;
import io.rustless.cli.oci.PublishResult;
import io.rustless.cli.oci.Publisher;
import io.rustless.cli.oci.RegistryAccess;
import io.rustless.cli.project.Extension;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rustless push <extension> --image <registry/repo:tag>}. */
@Command(
    name = "push",
    header = "Push an extension as the OCI image Higress loads.",
    description = {
      "Push a built extension as the image Higress loads: spec.yaml"
          + " (application/vnd.module.wasm.spec.v1+yaml), README.md"
          + " (application/vnd.module.wasm.doc.v1+markdown) and, last, plugin.tar.gz holding"
          + " plugin.wasm (application/vnd.oci.image.layer.v1.tar+gzip). The same input always"
          + " gives the same digest. Prints the digest and the oci://…@sha256:… url for a"
          + " WasmPlugin."
    })
public final class PushCommand implements Runnable {
  @ParentCommand private RustlessCli cli;

  @Parameters(paramLabel = "<extension|plugin.wasm>", description = "What to push.")
  private String target;

  @Option(
      names = {"-i", "--image"},
      required = true,
      paramLabel = "<registry/repo:tag>",
      description = "Where to push, e.g. registry.example.com/plugins/say-hello:0.1.0.")
  private String image;

  @Option(names = "--json", description = "Print the result as one JSON line.")
  private boolean json;

  @Mixin private RegistryOptions registry;

  @Override
  public void run() {
    Console console = cli.console();
    ImageReference ref = ImageReference.parse(image);
    RegistryAccess access = registry.access(System.in);
    PluginTarget plugin = PluginTarget.resolve(target, cli);
    Optional<Extension> ext = plugin.extension();
    ImageLayout layout =
        ImageLayout.of(plugin.wasm(), ext.flatMap(Extension::spec), ext.flatMap(Extension::readme));
    console.step("Pushing " + plugin.name() + " to " + ref);
    PublishResult result = new Publisher(access, console::detail).push(layout, ref);
    print(console, result, json);
  }

  static void print(Console console, PublishResult result, boolean json) {
    if (json) {
      console.result(result.toJson());
      return;
    }
    console.result("digest     " + result.digest());
    console.result("reference  " + result.reference());
    console.result("url        " + result.wasmPluginUrl());
    console.result(
        "plugin     plugin.wasm " + result.wasmSize() + " bytes, sha256 " + result.wasmSha256());
  }
}

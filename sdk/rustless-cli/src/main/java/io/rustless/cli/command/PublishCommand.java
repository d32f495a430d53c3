package io.rustless.cli.command;

import io.rustless.cli.Console;
import io.rustless.cli.RustlessCli;
import io.rustless.cli.UsageException;
import io.rustless.cli.oci.ImageLayout;
import io.rustless.cli.oci.ImageReference;
import io.rustless.cli.oci.PublishResult;
import io.rustless.cli.oci.Publisher;
import io.rustless.cli.oci.RegistryAccess;
import io.rustless.cli.oci.TerminationLog;
import io.rustless.cli.project.Extension;
import io.rustless.cli.project.ExtensionBuilder;
import io.rustless.cli.project.GitCheckout;
import io.rustless.cli.project.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code rustless publish}: build and push in one process, for the operator's build Job. The
 * contract with the operator: on success one JSON line {@code {"digest":…,"reference":…,"size":…}}
 * on standard output and in the termination log; on failure a non-zero exit, a clear last line, and
 * no termination log.
 */
@Command(
    name = "publish",
    header = "Build and push in one go (the builder Job's command).",
    description = {
      "Build an extension and push it (what the builder image's Job runs). Either a catalogue"
          + " extension of this checkout (--extension), or one at --path in a git repository at"
          + " --revision. On success prints one JSON line {\"digest\",\"reference\",\"size\"} and"
          + " writes it to --termination-log."
    })
public final class PublishCommand implements Runnable {
  @ParentCommand private RustlessCli cli;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Source source;

  static final class Source {
    @Option(
        names = "--extension",
        paramLabel = "<name>",
        required = true,
        description = "An extension of this checkout.")
    String extension;

    @ArgGroup(exclusive = false)
    Git git;
  }

  static final class Git {
    @Option(
        names = "--git",
        required = true,
        paramLabel = "<repository>",
        description = "A git URL.")
    String repository;

    @Option(
        names = "--revision",
        required = true,
        paramLabel = "<revision>",
        description = "A commit, branch or tag.")
    String revision;

    @Option(
        names = "--path",
        required = true,
        paramLabel = "<path>",
        description = "The extension's folder in the repository.")
    String path;
  }

  @Option(
      names = {"-i", "--image"},
      required = true,
      paramLabel = "<registry/repo:tag>",
      description = "Where to push.")
  private String image;

  @Option(
      names = "--termination-log",
      paramLabel = "<file>",
      description = "Write the result line here on success (in a pod: /dev/termination-log).")
  private Path terminationLog;

  @Option(
      names = {"-o", "--offline"},
      description = "Maven must not use the network.")
  private boolean offline;

  @Option(names = "--maven-arg", paramLabel = "<arg>", description = "An extra argument for Maven.")
  private List<String> mavenArgs = new ArrayList<>();

  @Mixin private RegistryOptions registry;

  @Override
  public void run() {
    Console console = cli.console();
    // Everything that can be checked without building is checked first.
    ImageReference ref = ImageReference.parse(image);
    if (ref.tag() == null || ref.digest() != null) {
      throw new UsageException("--image needs a tag and no digest, e.g. " + ref.name() + ":0.1.0");
    }
    RegistryAccess access = registry.access(System.in);
    console.step("Checking " + ref.registry());
    new Publisher(access, console::detail).checkAccess(ref);
    // Always from clean: what an earlier build left (and how it was built) must not decide the
    // bytes, and so the digest, of what is published.
    ExtensionBuilder builder =
        ExtensionBuilder.builder()
            .offline(offline)
            .clean(true)
            .verbose(cli.verbose())
            .mavenArguments(mavenArgs)
            .progress(console::detail)
            .build();
    PublishResult result;
    if (source.extension != null) {
      Workspace ws = cli.workspace();
      Extension ext = ws.extension(source.extension);
      console.step("Building " + ext.name());
      ExtensionBuilder.Built built = builder.build(ws, List.of(ext)).get(0);
      result = push(console, access, ref, built);
    } else {
      console.step("Checking out " + source.git.path + " of " + source.git.repository);
      try (GitCheckout checkout =
          GitCheckout.checkout(source.git.repository, source.git.revision, console::detail)) {
        Path dir = checkout.resolvePath(source.git.path);
        console.step("Building " + source.git.path + " at " + checkout.commit());
        ExtensionBuilder.Built built = build(builder, checkout, dir);
        result = push(console, access, ref, built);
      }
    }
    if (terminationLog != null) {
      TerminationLog.write(terminationLog, result);
    }
    console.result(result.toJson());
  }

  /** In the checkout's own reactor if it is a Rustless checkout, else standalone. */
  private static ExtensionBuilder.Built build(
      ExtensionBuilder builder, GitCheckout checkout, Path dir) {
    Optional<Workspace> ws =
        Workspace.find(dir).filter(w -> w.root().startsWith(checkout.directory()));
    if (ws.isPresent() && !ws.get().root().equals(dir)) {
      Extension ext = new Extension(dir.getFileName().toString(), dir);
      return builder.build(ws.get(), List.of(ext)).get(0);
    }
    return builder.buildStandalone(dir);
  }

  private static PublishResult push(
      Console console, RegistryAccess access, ImageReference ref, ExtensionBuilder.Built built) {
    Extension ext = built.extension();
    console.detail(String.format("plugin.wasm %,d bytes, sha256 %s", built.size(), built.sha256()));
    ImageLayout layout = ImageLayout.of(built.wasm(), ext.spec(), ext.readme());
    console.step("Pushing " + ext.name() + " to " + ref);
    return new Publisher(access, console::detail).push(layout, ref);
  }
}

package io.rustless.cli.project;

import io.rustless.build.wasm.ModuleCheck;
import io.rustless.cli.BuildException;
import io.rustless.wasm.WasmFormatException;
import io.rustless.wasm.WasmModuleBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builds extensions to {@code plugin.wasm} with Maven and checks each module as a proxy would
 * before anyone pushes it.
 */
public final class ExtensionBuilder {
  private final boolean offline;
  private final boolean clean;
  private final boolean verbose;
  private final List<String> mavenArguments;
  private final Consumer<String> progress;

  private ExtensionBuilder(Builder b) {
    this.offline = b.offline;
    this.clean = b.clean;
    this.verbose = b.verbose;
    this.mavenArguments = List.copyOf(b.mavenArguments);
    this.progress = b.progress;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A module that was built and passed the proxy checks. */
  public record Built(Extension extension, Path wasm, long size, String sha256) {}

  /**
   * Builds {@code extensions} of {@code workspace}, one Maven run each. Not one reactor run for
   * all: TeaVM keeps state between compilations in one JVM, and a module compiled after another one
   * comes out different (a few bytes) from the same module compiled alone, which would make the
   * image digest depend on what else was built. One run per extension gives every module the bytes
   * a standalone build (as in the builder Job) gives it.
   */
  public List<Built> build(Workspace workspace, List<Extension> extensions) {
    List<Built> out = new ArrayList<>();
    for (Extension e : extensions) {
      MavenBuild maven =
          configure(
                  MavenBuild.builder()
                      .directory(workspace.root())
                      .projects(List.of(workspace.modulePath(e))))
              .build();
      progress.accept("$ " + maven.commandLine());
      maven.run();
      out.add(check(e));
    }
    return out;
  }

  /**
   * Builds the extension in {@code dir} on its own: its parent ({@code rustless-extensions}) and
   * the SDK come from Maven's local repository, as in the builder image.
   */
  public Built buildStandalone(Path dir) {
    Extension e = new Extension(dir.getFileName().toString(), dir);
    MavenBuild maven = configure(MavenBuild.builder().directory(dir).pomFile(e.pom())).build();
    progress.accept("$ " + maven.commandLine());
    maven.run();
    return check(e);
  }

  private MavenBuild.Builder configure(MavenBuild.Builder b) {
    return b.offline(offline)
        .verbose(verbose)
        .extraArguments(mavenArguments)
        .goals(clean ? List.of("clean", "package") : List.of("package"))
        .progress(progress);
  }

  /** The built module of {@code e}, checked as a proxy would load it. */
  public static Built check(Extension e) {
    Path wasm = e.wasm();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(wasm);
    } catch (IOException ex) {
      throw new BuildException(
          "the build of "
              + e.name()
              + " wrote no "
              + wasm
              + " (is rustless.pluginClass set in its pom?)",
          ex);
    }
    try {
      ModuleCheck check = ModuleCheck.of(WasmModuleBinary.parse(bytes));
      if (!check.ok()) {
        throw new BuildException(
            wasm + " would not load in Higress: it " + String.join("; it ", check.errors()));
      }
    } catch (WasmFormatException ex) {
      throw new BuildException(wasm + " is not a valid Wasm module: " + ex.getMessage(), ex);
    }
    return new Built(e, wasm, bytes.length, sha256(bytes));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** Configures an {@link ExtensionBuilder}. */
  public static final class Builder {
    private boolean offline;
    private boolean clean;
    private boolean verbose;
    private final List<String> mavenArguments = new ArrayList<>();
    private Consumer<String> progress = line -> {};

    private Builder() {}

    /** Maven must not touch the network ({@code -o}). */
    public Builder offline(boolean on) {
      this.offline = on;
      return this;
    }

    /**
     * Build from nothing ({@code clean package}). TeaVM's output depends on what ran before it in
     * the same JVM (whether javac had work to do, which modules were compiled first), so only a
     * build that always runs the same steps gives the same module for the same sources.
     */
    public Builder clean(boolean on) {
      this.clean = on;
      return this;
    }

    /** Show all of Maven's output. */
    public Builder verbose(boolean on) {
      this.verbose = on;
      return this;
    }

    /** Extra arguments for Maven, e.g. {@code -Dmaven.repo.local=…}. */
    public Builder mavenArguments(List<String> args) {
      this.mavenArguments.clear();
      this.mavenArguments.addAll(args);
      return this;
    }

    public Builder progress(Consumer<String> sink) {
      this.progress = Objects.requireNonNull(sink);
      return this;
    }

    public ExtensionBuilder build() {
      return new ExtensionBuilder(this);
    }
  }
}

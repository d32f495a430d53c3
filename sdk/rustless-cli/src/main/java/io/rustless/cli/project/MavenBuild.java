package io.rustless.cli.project;

import io.rustless.cli.BuildException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Maven as a child process and turns its log into progress lines. Maven, not the compiler
 * alone, because the extension's pom decides its classpath, heap size and size budget, and the
 * builder image has Maven's local repository filled for offline builds.
 */
public final class MavenBuild {
  private static final Pattern BUILDING =
      Pattern.compile("^\\[INFO\\] Building (?!jar:|war:)(.+?) \\S+(?:\\s+\\[(\\d+)/(\\d+)\\])?$");
  private static final Pattern RUSTLESS =
      Pattern.compile(
          "^\\[(?:INFO|WARNING)\\] (Compiling .* to Wasm .*|Wrote .*plugin\\.wasm.*"
              + "|plugin\\.wasm is up to date.*|module .*)$");
  private static final List<String> ERROR_NOISE =
      List.of(
          "-> [Help",
          "Re-run Maven",
          "For more information about the errors",
          "[Help ",
          "To see the full stack trace",
          "After correcting the problems",
          "mvn <args> -rf");

  private final Path directory;
  private final List<String> arguments;
  private final String executable;
  private final Consumer<String> progress;
  private final boolean verbose;

  private MavenBuild(Builder b) {
    this.directory = Objects.requireNonNull(b.directory, "directory");
    this.executable = b.executable;
    this.progress = b.progress;
    this.verbose = b.verbose;
    List<String> args = new ArrayList<>(List.of("-B", "-ntp"));
    if (b.offline) {
      args.add("-o");
    }
    if (b.pomFile != null) {
      args.add("-f");
      args.add(b.pomFile.toString());
    }
    if (!b.projects.isEmpty()) {
      args.add("-pl");
      args.add(String.join(",", b.projects));
      args.add("-am");
    }
    if (b.skipTests) {
      args.add("-DskipTests");
    }
    args.addAll(b.extraArguments);
    args.addAll(b.goals);
    this.arguments = List.copyOf(args);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The command line, for the progress output. */
  public String commandLine() {
    return executable + " " + String.join(" ", arguments);
  }

  /** Runs Maven; returns the elapsed milliseconds or throws with the reason. */
  public long run() {
    long start = System.nanoTime();
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(arguments);
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new BuildException(
          "cannot run Maven ('"
              + executable
              + "'): install Maven 3.8+ or set RUSTLESS_MAVEN to its mvn ("
              + e.getMessage()
              + ")",
          e);
    }
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Maven reads nothing from us; a failed close changes nothing.
    }
    Deque<String> tail = new ArrayDeque<>();
    boolean errorsShown = false;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        tail.addLast(line);
        if (tail.size() > 40) {
          tail.removeFirst();
        }
        if (verbose) {
          progress.accept(line);
          continue;
        }
        String shown = progressLine(line);
        if (shown != null) {
          progress.accept(shown);
          errorsShown |= line.startsWith("[ERROR]");
        }
      }
    } catch (IOException e) {
      throw new BuildException("lost Maven's output: " + e.getMessage(), e);
    } catch (java.io.UncheckedIOException e) {
      throw new BuildException("lost Maven's output: " + e.getMessage(), e);
    }
    int exit;
    try {
      exit = process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BuildException("interrupted while Maven was running");
    }
    if (exit != 0) {
      if (!errorsShown && !verbose) {
        tail.forEach(progress);
      }
      throw new BuildException("Maven failed (exit " + exit + "): " + commandLine());
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** What of a Maven log line is worth showing, or null. */
  static String progressLine(String line) {
    Matcher m = BUILDING.matcher(line);
    if (m.matches()) {
      return m.group(2) == null
          ? m.group(1)
          : "[" + m.group(2) + "/" + m.group(3) + "] " + m.group(1);
    }
    m = RUSTLESS.matcher(line);
    if (m.matches()) {
      return "  " + m.group(1);
    }
    if (line.startsWith("[ERROR]")) {
      String text = line.substring(7).strip();
      while (text.startsWith("[ERROR]")) {
        text = text.substring(7).strip();
      }
      if (text.isEmpty() || ERROR_NOISE.stream().anyMatch(text::startsWith)) {
        return null;
      }
      return "error: " + text;
    }
    return null;
  }

  /** Configures a {@link MavenBuild}. */
  public static final class Builder {
    private Path directory;
    private Path pomFile;
    private final List<String> projects = new ArrayList<>();
    private final List<String> goals = new ArrayList<>(List.of("package"));
    private final List<String> extraArguments = new ArrayList<>();
    private boolean skipTests = true;
    private boolean offline;
    private boolean verbose;
    private String executable = defaultExecutable();
    private Consumer<String> progress = line -> {};

    private Builder() {}

    private static String defaultExecutable() {
      String env = System.getenv("RUSTLESS_MAVEN");
      return env == null || env.isBlank() ? "mvn" : env;
    }

    /** Where Maven runs (the reactor root for {@link #projects}). */
    public Builder directory(Path dir) {
      this.directory = dir;
      return this;
    }

    /** Builds this pom ({@code -f}) instead of the directory's. */
    public Builder pomFile(Path pom) {
      this.pomFile = pom;
      return this;
    }

    /** Reactor modules to build with what they need ({@code -pl … -am}). */
    public Builder projects(List<String> modules) {
      this.projects.clear();
      this.projects.addAll(modules);
      return this;
    }

    public Builder goals(List<String> g) {
      this.goals.clear();
      this.goals.addAll(g);
      return this;
    }

    public Builder skipTests(boolean on) {
      this.skipTests = on;
      return this;
    }

    public Builder offline(boolean on) {
      this.offline = on;
      return this;
    }

    /** Arguments passed to Maven as they are, e.g. {@code -Dmaven.repo.local=…}. */
    public Builder extraArguments(List<String> args) {
      this.extraArguments.clear();
      this.extraArguments.addAll(args);
      return this;
    }

    /** Show every Maven line instead of the progress summary. */
    public Builder verbose(boolean on) {
      this.verbose = on;
      return this;
    }

    /** The mvn to run (default {@code $RUSTLESS_MAVEN} or {@code mvn}). */
    public Builder executable(String mvn) {
      this.executable = Objects.requireNonNull(mvn);
      return this;
    }

    public Builder progress(Consumer<String> sink) {
      this.progress = Objects.requireNonNull(sink);
      return this;
    }

    public MavenBuild build() {
      return new MavenBuild(this);
    }
  }
}

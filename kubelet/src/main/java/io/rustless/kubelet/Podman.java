package io.rustless.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The podman command line with the settings docker/build-images.sh uses: the storage's own driver
 * unless {@code $STORAGE_DRIVER} names one (so the tests see the images the script built), runc
 * (crun refuses the rlimits on these machines) and lower rlimits than podman's defaults.
 */
public final class Podman {

  /** {@code $STORAGE_DRIVER}, if set: the driver docker/build-images.sh was told to use. */
  public static final Optional<String> STORAGE_DRIVER =
      Optional.ofNullable(System.getenv("STORAGE_DRIVER")).filter(s -> !s.isBlank());

  private static final List<String> LIMITS =
      List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1000:1000");

  /** What a podman command printed and how it ended. */
  public record Result(int exitCode, String out, String err) {
    public boolean ok() {
      return exitCode == 0;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + (err.isBlank() ? "" : ": " + err.strip());
    }
  }

  private final String executable;

  private Podman(String executable) {
    this.executable = executable;
  }

  /** podman from the PATH, if there is one. */
  public static Optional<Podman> find() {
    return onPath("podman").map(p -> new Podman(p.toString()));
  }

  static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** {@code podman --storage-driver … <args>}. */
  public List<String> command(List<String> args) {
    var cmd = new ArrayList<String>();
    cmd.add(executable);
    STORAGE_DRIVER.ifPresent(
        d -> {
          cmd.add("--storage-driver");
          cmd.add(d);
        });
    cmd.addAll(args);
    return cmd;
  }

  /** The options every {@code podman run} gets here: runtime and rlimits. */
  public List<String> runOptions() {
    var opts = new ArrayList<String>();
    if (onPath("runc").isPresent() || Files.isExecutable(Path.of("/usr/sbin/runc"))) {
      opts.add("--runtime");
      opts.add("runc");
    }
    opts.addAll(LIMITS);
    return opts;
  }

  /** Runs podman with {@code args}, waiting at most {@code timeout}. */
  public Result exec(List<String> args, Duration timeout) {
    return execCommand(command(args), timeout);
  }

  static Result execCommand(List<String> command, Duration timeout) {
    try {
      Path out = Files.createTempFile("podman-out", ".txt");
      Path err = Files.createTempFile("podman-err", ".txt");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
          return new Result(
              -1,
              Files.readString(out, StandardCharsets.UTF_8),
              "timed out after " + timeout + ": " + String.join(" ", command));
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /** Runs podman with {@code args}; standard output and error in one text, in the order written. */
  public Result execMerged(List<String> args, Duration timeout) {
    try {
      Path out = Files.createTempFile("podman-merged", ".txt");
      try {
        Process p =
            new ProcessBuilder(command(args))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
        return new Result(done ? p.exitValue() : -1, Files.readString(out), "");
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running podman " + args, e);
    }
  }

  /** Starts podman with {@code args} and returns the process (for commands that block). */
  public Process start(List<String> args) {
    try {
      return new ProcessBuilder(command(args))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean imageExists(String image) {
    return exec(List.of("image", "exists", image), Duration.ofSeconds(30)).ok();
  }

  /** {@code podman image inspect --format <format> <image>}, trimmed. */
  public String inspectImage(String image, String format) {
    Result r = exec(List.of("image", "inspect", "--format", format, image), Duration.ofSeconds(30));
    if (!r.ok()) {
      throw new IllegalStateException("podman image inspect " + image + ": " + r);
    }
    return r.out().strip();
  }
}

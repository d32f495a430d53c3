package io.rustless.operator.e2e;

import io.rustless.operator.podman.ContainerTests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ./rustless} of this checkout, run from the host as a plugin author runs it. */
final class HostCli {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** What one command printed. */
  record Run(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /** The value after {@code <label>} on a result line ({@code digest sha256:…}). */
    String field(String label) {
      return out.lines()
          .filter(l -> l.startsWith(label + " "))
          .map(l -> l.substring(label.length()).strip())
          .findFirst()
          .orElseThrow(() -> new AssertionError("no '" + label + "' line in\n" + this));
    }
  }

  private HostCli() {}

  /** The jar the script runs; a missing one skips (or, in CI, fails) the test. */
  static void requireBuilt() {
    ContainerTests.built(
        ROOT.resolve("sdk/rustless-cli/target/rustless.jar"),
        "build it with mvn -B -pl sdk/rustless-cli -am package -DskipTests (mvn -B verify does)");
  }

  static Run run(String... args) {
    var command = new ArrayList<String>(List.of("sh", ROOT.resolve("rustless").toString()));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("rustless-out", ".txt");
      Path err = Files.createTempFile("rustless-err", ".txt");
      try {
        var pb =
            new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("RUSTLESS_REPO");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new AssertionError("rustless " + String.join(" ", args) + " did not finish");
        }
        return new Run(
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
      throw new AssertionError(e);
    }
  }
}

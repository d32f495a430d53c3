package io.rustless.testservices;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a program it needs from a Debian package is missing. Each policy returns
 * the program's path when it is there; when it is not, it installs it, fails the test or skips it,
 * and never returns a missing program.
 *
 * <p>A project's test kit can bring its own, e.g. one that installs the package with {@code
 * apt-get} when the tests run as root: {@code DebianRegistry.builder().programs(DebianPackages::
 * require)}.
 */
@FunctionalInterface
public interface ProgramPolicy {

  /**
   * The absolute path {@code program}, from the Debian package {@code debianPackage}; installs it,
   * fails or skips the test when it is missing.
   */
  Path require(String debianPackage, String program);

  /** A missing program fails the test with the {@code apt-get} command that installs it. */
  static ProgramPolicy fail() {
    return (debianPackage, program) -> {
      Path path = Path.of(program);
      if (!Files.isExecutable(path)) {
        Assertions.fail(missing(debianPackage, program));
      }
      return path;
    };
  }

  /**
   * A missing program fails the test when {@code required} (a run that must not pass without it,
   * such as CI), and skips it otherwise.
   *
   * @param requirement what makes the run required, for the message: {@code
   *     "RUSTLESS_CONTAINER_TESTS=required"}
   */
  static ProgramPolicy skipUnless(boolean required, String requirement) {
    return (debianPackage, program) -> {
      Path path = Path.of(program);
      if (!Files.isExecutable(path)) {
        if (required) {
          Assertions.fail(requirement + ", but " + missing(debianPackage, program));
        }
        Assumptions.abort("skipped (not " + requirement + "): " + missing(debianPackage, program));
      }
      return path;
    };
  }

  private static String missing(String debianPackage, String program) {
    return program
        + " is missing: install the Debian package "
        + debianPackage
        + " (apt-get install -y "
        + debianPackage
        + ")";
  }
}

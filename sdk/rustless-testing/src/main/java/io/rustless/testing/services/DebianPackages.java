package io.rustless.testing.services;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Real services for tests come from Debian packages. A test that needs one calls {@link
 * #require(String, String)}: if the program is missing and the run is root on a Debian-like system,
 * the package is installed with {@code apt-get} (so {@code mvn verify} works on a fresh machine);
 * otherwise the test fails with the command to run.
 */
public final class DebianPackages {
  private static final Set<String> INSTALLED = new HashSet<>();
  private static boolean updated;

  private DebianPackages() {}

  /** Makes sure {@code program} (an absolute path) exists, installing {@code pkg} if needed. */
  public static synchronized Path require(String pkg, String program) {
    Path path = Path.of(program);
    if (Files.isExecutable(path)) {
      return path;
    }
    if (INSTALLED.contains(pkg)) {
      throw new AssertionError(pkg + " was installed but " + program + " is still missing");
    }
    if (!canInstall()) {
      throw new AssertionError(
          program
              + " is missing: install the Debian package first (apt-get install -y "
              + pkg
              + "); the tests need a real "
              + pkg);
    }
    System.err.println("[rustless-testing] installing Debian package " + pkg + " for the tests…");
    if (!updated) {
      run(List.of("apt-get", "update", "-q"));
      updated = true;
    }
    run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", pkg));
    INSTALLED.add(pkg);
    if (!Files.isExecutable(path)) {
      throw new AssertionError("installed " + pkg + " but " + program + " is still missing");
    }
    return path;
  }

  private static boolean canInstall() {
    return "root".equals(System.getProperty("user.name"))
        && Files.isExecutable(Path.of("/usr/bin/apt-get"));
  }

  private static void run(List<String> command) {
    List<String> cmd = new ArrayList<>(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    try {
      Process p = pb.start();
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", cmd)
                + " failed:\n"
                + new String(output, java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", cmd), e);
    }
  }
}

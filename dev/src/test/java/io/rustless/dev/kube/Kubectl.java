package io.rustless.dev.kube;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's kubectl ({@code -Drustless.test.kubectl=…} or $RUSTLESS_KUBECTL picks another), run
 * against a kubeconfig with its own discovery cache. Absent, the tests are skipped with a message,
 * except in CI, where .ci/run installs Debian's kubernetes-client and its absence fails.
 */
public record Kubectl(Path binary, Path kubeconfig, Path cacheDir) {

  public static Path find() {
    String configured =
        Optional.ofNullable(System.getProperty("rustless.test.kubectl"))
            .orElse(System.getenv("RUSTLESS_KUBECTL"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    // CI runs .ci/run with CI=true and .ci/run installs kubectl: there its absence fails
    String ci = System.getenv("CI");
    if (ci != null && !ci.isBlank() && !ci.equals("false")) {
      Assertions.fail("kubectl is not installed; CI must install Debian's kubernetes-client");
    }
    Assumptions.abort("kubectl is not installed (Debian: apt-get install kubernetes-client)");
    return null;
  }

  /** A finished kubectl run. */
  public record Run(int exitCode, String out, String err) {
    public Run ok() {
      Assertions.assertEquals(0, exitCode, () -> "kubectl failed:\n" + this);
      return this;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private List<String> command(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.add("--kubeconfig");
    cmd.add(kubeconfig.toString());
    cmd.add("--cache-dir");
    cmd.add(cacheDir.toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  public Run run(String... args) {
    try {
      Process p =
          new ProcessBuilder(command(args)).redirectInput(ProcessBuilder.Redirect.PIPE).start();
      p.getOutputStream().close();
      var out = p.getInputStream();
      var err = p.getErrorStream();
      var outText = new StringBuilder();
      Thread t =
          new Thread(
              () -> {
                try {
                  outText.append(new String(out.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  outText.append(e);
                }
              });
      t.start();
      String errText = new String(err.readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        Assertions.fail("kubectl " + String.join(" ", args) + " did not finish in 120 s");
      }
      t.join();
      return new Run(p.exitValue(), outText.toString(), errText);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A long-running kubectl (a watch): its output lines as they come. */
  public final class Background implements AutoCloseable {
    final Process process;
    public final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final StringBuilder err = new StringBuilder();

    Background(String... args) throws IOException {
      process = new ProcessBuilder(command(args)).start();
      process.getOutputStream().close();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // process ended
                }
              });
      reader.setDaemon(true);
      reader.start();
      Thread errors =
          new Thread(
              () -> {
                try {
                  err.append(
                      new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  // process ended
                }
              });
      errors.setDaemon(true);
      errors.start();
    }

    /** The next line, waiting up to 30 s. */
    String next() throws InterruptedException {
      String line = lines.poll(30, TimeUnit.SECONDS);
      if (line == null) {
        Assertions.fail("kubectl printed nothing in 30 s; stderr: " + err);
      }
      return line;
    }

    @Override
    public void close() {
      process.destroy();
    }
  }

  public Background background(String... args) throws IOException {
    return new Background(args);
  }
}

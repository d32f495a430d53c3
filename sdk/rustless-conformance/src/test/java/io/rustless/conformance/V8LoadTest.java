package io.rustless.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built modules load and start in V8, the runtime of Envoy, Istio and Higress, through Node (CI
 * installs Debian's nodejs; without a {@code node} on the PATH these tests are skipped). Wasm
 * exception handling in particular: the test host runs it translated, V8 runs these very bytes.
 */
class V8LoadTest {
  private static final Path SCRIPT = Path.of("src/test/resources/v8-load.cjs");

  private static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String load(Path wasm) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("node", SCRIPT.toString(), wasm.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return "exit " + p.exitValue() + ": " + out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "target/plugin.wasm",
        "target/wrapper.wasm",
        "target/exceptions/plugin.wasm",
        "target/exceptions/wrapper.wasm"
      })
  void moduleCompilesInstantiatesAndStartsInV8(String wasm) throws Exception {
    assumeTrue(nodeAvailable(), "no node on the PATH");
    assertThat(load(Path.of(wasm))).startsWith("exit 0: ok ");
  }

  @Test
  void aBrokenModuleIsRejected(@TempDir Path dir) throws Exception {
    assumeTrue(nodeAvailable(), "no node on the PATH");
    byte[] module = Files.readAllBytes(Path.of("target/exceptions/plugin.wasm"));
    Path broken = dir.resolve("broken.wasm");
    Files.write(broken, java.util.Arrays.copyOf(module, module.length / 2));
    assertThat(load(broken)).doesNotStartWith("exit 0").contains("CompileError");
  }
}

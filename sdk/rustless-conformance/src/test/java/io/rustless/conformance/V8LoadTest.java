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
 * The built modules load and start in a second, independent V8: Node's (Debian's nodejs, an older
 * V8 than Javet's), with a minimal proxy host in JavaScript that sends one request and records logs
 * and reply. The v8 test mode runs every suite in Javet's V8 through Rustless's host; this checks
 * the same bytes against a host that shares no code with ours. Without a {@code node} on the PATH
 * these tests are skipped, except where {@code RUSTLESS_NODE_TESTS=required} (CI, which installs
 * nodejs): there they fail.
 */
class V8LoadTest {
  private static final Path SCRIPT = Path.of("src/test/resources/v8-load.cjs");
  private static final boolean NODE = nodeAvailable();

  private static void requireNode() {
    if (!NODE && "required".equals(System.getenv("RUSTLESS_NODE_TESTS"))) {
      throw new AssertionError(
          "RUSTLESS_NODE_TESTS=required but there is no node on the PATH (apt-get install nodejs)");
    }
    assumeTrue(NODE, "no node on the PATH (apt-get install nodejs)");
  }

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

  private static String load(Path wasm, String... op) throws IOException, InterruptedException {
    java.util.List<String> command =
        new java.util.ArrayList<>(java.util.List.of("node", SCRIPT.toString(), wasm.toString()));
    command.addAll(java.util.List.of(op));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
    requireNode();
    assertThat(load(Path.of(wasm))).startsWith("exit 0: ok ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"target/plugin.wasm", "target/exceptions/plugin.wasm"})
  void exceptionsThrownInV8FailOpenOrAreCaughtAsInTheTestHost(String wasm) throws Exception {
    requireNode();
    Path module = Path.of(wasm);

    assertThat(load(module, "count")).contains("action 1", "reply 200 1 0 true");
    assertThat(load(module, "throw"))
        .contains(
            "action 0",
            "log 5 [rustless] uncaught exception in proxy_on_request_headers (context 2):"
                + " java.lang.IllegalStateException: boom in request headers")
        .contains("reply null");
    assertThat(load(module, "null"))
        .contains(
            "action 0",
            "uncaught exception in proxy_on_request_headers (context 2):"
                + " java.lang.NullPointerException");
    // a null pointer and a bad index raised by the runtime, caught inside the plugin
    assertThat(load(module, "caught")).contains("action 1", "reply 200 caught null index");
  }

  @Test
  void aBrokenModuleIsRejected(@TempDir Path dir) throws Exception {
    requireNode();
    byte[] module = Files.readAllBytes(Path.of("target/exceptions/plugin.wasm"));
    Path broken = dir.resolve("broken.wasm");
    Files.write(broken, java.util.Arrays.copyOf(module, module.length / 2));
    assertThat(load(broken)).doesNotStartWith("exit 0").contains("CompileError");
  }
}

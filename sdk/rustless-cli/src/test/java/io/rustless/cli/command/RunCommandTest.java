package io.rustless.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.fixture.Cli;
import io.rustless.cli.fixture.FixtureWasm;
import io.rustless.cli.fixture.FixtureWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rustless run: the plugin in the embedded host, what a client would see. */
class RunCommandTest {
  @TempDir static Path tmp;
  static Path repo;

  @BeforeAll
  static void setUp() {
    repo = FixtureWorkspace.create(tmp.resolve("repo"));
  }

  @Test
  void runsTheDemoOfAnExtension() {
    Cli run = Cli.run("--repo", repo.toString(), "run", "fixture");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("> GET http://example.com/hello")
        .contains("passed upstream with:")
        .contains("x-fixture: t1")
        .contains("> GET http://example.com/blocked/x")
        .contains("< 403 (answered by the plugin)")
        .contains("blocked")
        .contains("log INFO [fixture] blocked /blocked/x");
  }

  @Test
  void runsAWasmFileWithGivenConfigAndRequests() throws Exception {
    Path config = tmp.resolve("c.json");
    Files.writeString(config, "{\"tag\": \"given\", \"block_prefix\": \"/nope\"}");
    Cli run =
        Cli.run(
            "run",
            FixtureWasm.path().toString(),
            "--config",
            config.toString(),
            "--request",
            "POST http://example.com/api content-type: text/plain << hello",
            "-r",
            "GET http://example.com/nope");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("x-fixture: given")
        .contains("<body> HELLO")
        .contains("< 403 (answered by the plugin)");
  }

  @Test
  void aRejectedConfigurationExitsSix() throws Exception {
    Path config = tmp.resolve("bad.json");
    Files.writeString(config, "{\"tag\": 5}");
    Cli run = Cli.run("--repo", repo.toString(), "run", "fixture", "--config", config.toString());
    assertThat(run.exitCode()).isEqualTo(6);
    assertThat(run.out()).contains("tag: expected a string but got a number");
    assertThat(run.lastErrorLine())
        .isEqualTo("error: fixture rejected its configuration (see its log lines above)");
  }
}

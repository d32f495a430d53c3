package io.rustless.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.fixture.Cli;
import io.rustless.cli.fixture.FixtureWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends with one clear line and a non-zero exit, never a stack trace. */
class ErrorsTest {
  @TempDir static Path tmp;
  static Path repo;

  @BeforeAll
  static void setUp() {
    repo = FixtureWorkspace.create(tmp.resolve("repo"));
  }

  private static Cli inRepo(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--repo";
    all[1] = repo.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(all);
  }

  private static void assertOneLine(Cli run, int exit, String line) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(exit);
    assertThat(run.lastErrorLine()).as(run.toString()).isEqualTo(line);
    assertThat(run.hasStackTrace()).as(run.toString()).isFalse();
  }

  @Test
  void unknownExtension() {
    for (String command : new String[] {"build", "run"}) {
      assertOneLine(inRepo(command, "nope"), 2, "error: unknown extension 'nope' (known: fixture)");
    }
    assertOneLine(
        inRepo("push", "nope", "--image", "r.io/x:1"),
        2,
        "error: unknown extension 'nope' (known: fixture)");
    assertOneLine(
        inRepo("publish", "--extension", "nope", "--image", "127.0.0.1:1/x:1", "--plain-http"),
        4,
        "error: cannot reach registry 127.0.0.1:1 (http://127.0.0.1:1) while checking access:"
            + " connection refused");
  }

  @Test
  void malformedConfigFile() throws Exception {
    Path config = tmp.resolve("broken.json");
    Files.writeString(config, "{\"tag\": \"x\",}");
    assertOneLine(
        inRepo("run", "fixture", "--config", config.toString()),
        2,
        "error: config file "
            + config
            + " is not valid JSON: malformed JSON at offset 12: expected a member name in double"
            + " quotes");
    assertOneLine(
        inRepo("serve", "fixture", "--config", tmp.resolve("missing.json").toString()),
        2,
        "error: cannot read config file " + tmp.resolve("missing.json") + ": no such file");
  }

  @Test
  void badImageReference() {
    assertOneLine(
        inRepo("push", "fixture", "--image", "say-hello:1"),
        2,
        "error: bad image reference 'say-hello:1': it names no registry host (expected e.g."
            + " registry.example.com/plugins/say-hello:0.1.0)");
    assertOneLine(
        Cli.run("verify", "reg.io/UPPER:1"),
        2,
        "error: bad image reference 'reg.io/UPPER:1': 'UPPER' is not a valid repository path"
            + " component (lower-case letters, digits, and . _ - between them) (expected e.g."
            + " registry.example.com/plugins/say-hello:0.1.0)");
    assertOneLine(
        inRepo("publish", "--extension", "fixture", "--image", "reg.io/x"),
        2,
        "error: --image needs a tag and no digest, e.g. reg.io/x:0.1.0");
  }

  @Test
  void badCommandLines() {
    assertOneLine(
        inRepo("push", "fixture"),
        2,
        "error: Missing required option: '--image=<registry/repo:tag>' (see 'rustless push"
            + " --help')");
    assertOneLine(
        Cli.run("frobnicate"),
        2,
        "error: Unmatched argument at index 0: 'frobnicate' (see 'rustless --help')");
    assertOneLine(
        inRepo("publish", "--image", "r.io/x:1"),
        2,
        "error: Missing required argument (specify one of these): (--extension=<name> |"
            + " [--git=<repository> --revision=<revision> --path=<path>]) (see 'rustless publish"
            + " --help')");
    assertOneLine(
        inRepo("push", "fixture", "--image", "r.io/x:1", "--username", "u"),
        2,
        "error: --username and --password (or --password-stdin) go together");
    assertOneLine(
        inRepo("serve", "fixture", "--listen", "nowhere"),
        2,
        "error: bad --listen 'nowhere': expected host:port, e.g. 127.0.0.1:10000");
    assertOneLine(
        inRepo("serve", "fixture", "--upstream", "ftp://x"),
        2,
        "error: bad --upstream 'ftp://x': expected http://host:port");
    assertOneLine(
        inRepo("serve", "fixture", "--cluster", "x"),
        2,
        "error: bad --cluster 'x': expected name=http://host:port or name=redis://host:port, e.g."
            + " outbound|80||llm.dns=http://127.0.0.1:8081");
    assertOneLine(
        Cli.run("new", "Bad_Name"),
        2,
        "error: 'Bad_Name' is not a valid extension name: use lower-case letters, digits and"
            + " single dashes, starting with a letter (e.g. my-plugin)");
  }

  @Test
  void outsideACheckout() {
    Cli run = Cli.run("--repo", tmp.toString(), "build");
    assertOneLine(
        run,
        2,
        "error: "
            + tmp
            + " is not a Rustless checkout (it needs pom.xml and an extensions/ folder)");
  }

  @Test
  void missingModuleSaysHowToBuildIt() throws Exception {
    Path other = FixtureWorkspace.create(tmp.resolve("unbuilt"));
    Files.delete(other.resolve("extensions/fixture/target/plugin.wasm"));
    Cli run = Cli.run("--repo", other.toString(), "run", "fixture");
    assertOneLine(
        run,
        2,
        "error: "
            + other.resolve("extensions/fixture/target/plugin.wasm")
            + " does not exist: build it first with 'rustless build fixture'");
  }

  @Test
  void verboseShowsTheStackTrace() {
    Cli run = Cli.run("--verbose", "verify", "say-hello:1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.hasStackTrace()).isTrue();
  }

  @Test
  void helpListsTheExitCodes() {
    Cli help = Cli.run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("Exit codes:")
        .contains("2   bad input")
        .contains("4   the registry refused or could not be reached");
    assertThat(Cli.run("push", "--help").out()).contains("Exit codes:").contains("--plain-http");
  }
}

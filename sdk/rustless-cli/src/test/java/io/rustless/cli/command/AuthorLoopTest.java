package io.rustless.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.fixture.Cli;
import io.rustless.cli.fixture.OfflineRepository;
import io.rustless.cli.fixture.TestRegistry;
import io.rustless.cli.oci.ImageLayout;
import io.rustless.cli.oci.ImageReference;
import io.rustless.cli.oci.ImageVerifier;
import io.rustless.cli.oci.RegistryAccess;
import io.rustless.cli.oci.VerifyReport;
import io.rustless.cli.project.MavenBuild;
import io.rustless.cli.project.Workspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin author's loop on a clean copy of this checkout, with real Maven (against the SDK just
 * built), a real registry and git: new → build → the generated tests pass → run → publish (what the
 * builder Job runs) → verify; and publish from a git revision.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AuthorLoopTest {
  private static final String NAME = "hello-world";

  /** The longest name allowed: the generated Java must still pass the formatter check. */
  private static final String LONG_NAME = "abcdefghij-klmnopqrst-uvwxyzab";

  private static final Pattern TESTS_RUN =
      Pattern.compile("Tests run: (\\d+), Failures: (\\d+), Errors: (\\d+), Skipped: \\d+$");

  @TempDir Path tmp;

  @Test
  void newBuildTestRunPublishVerify() throws Exception {
    Path checkout = Workspace.find(Path.of("")).orElseThrow().root();
    String version = "0.1.0-SNAPSHOT";
    Path ws = copyCheckoutSkeleton(checkout, tmp.resolve("repo"));
    Path m2 = OfflineRepository.create(tmp.resolve("m2"), checkout, version);
    String mavenRepo = "--maven-arg=-Dmaven.repo.local=" + m2;
    long t0 = System.nanoTime();

    // new
    for (String name : List.of(NAME, LONG_NAME)) {
      Cli created = Cli.run("--repo", ws.toString(), "new", name);
      assertThat(created.exitCode()).as(created.toString()).isZero();
      assertThat(created.out().strip())
          .isEqualTo(ws.resolve("extensions").resolve(name).toString());
    }
    assertThat(Cli.run("--repo", ws.toString(), "new", NAME).lastErrorLine())
        .contains("already exists");

    // build (both in one reactor run)
    Cli built = Cli.run("--repo", ws.toString(), "build", NAME, LONG_NAME, "--offline", mavenRepo);
    assertThat(built.exitCode()).as(built.toString()).isZero();
    assertThat(built.err())
        .contains("Compiling io.rustless.extensions.helloworld.HelloWorldPlugin");
    assertThat(built.out()).contains(NAME + "  extensions/" + NAME + "/target/plugin.wasm");
    long buildMillis = (System.nanoTime() - t0) / 1_000_000;

    // the generated tests pass (every mode), and so does the formatter check
    long t1 = System.nanoTime();
    List<String> mavenLog = new ArrayList<>();
    try {
      MavenBuild.builder()
          .directory(ws)
          .projects(List.of("extensions/" + NAME, "extensions/" + LONG_NAME))
          .goals(List.of("verify"))
          .skipTests(false)
          .offline(true)
          .extraArguments(List.of("-Dmaven.repo.local=" + m2))
          .verbose(true)
          .progress(mavenLog::add)
          .build()
          .run();
    } catch (RuntimeException e) {
      throw new AssertionError(String.join("\n", mavenLog), e);
    }
    int testsRun = 0;
    for (String line : mavenLog) {
      Matcher m = TESTS_RUN.matcher(line);
      if (m.find() && line.startsWith("[INFO] Tests run:")
          || line.startsWith("[WARNING] Tests run:")) {
        if (m.find(0)) {
          testsRun += Integer.parseInt(m.group(1));
          assertThat(m.group(2) + m.group(3)).as(line).isEqualTo("00");
        }
      }
    }
    assertThat(testsRun).as(String.join("\n", mavenLog)).isGreaterThanOrEqualTo(2 * 15);
    assertThat(mavenLog).anyMatch(l -> l.contains("spotless") && l.contains("check"));
    long testMillis = (System.nanoTime() - t1) / 1_000_000;

    // run: the demo requests in the embedded host
    Cli run = Cli.run("--repo", ws.toString(), "run", NAME);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("x-hello-world: hello from hello-world")
        .contains("x-hello-world: hello, foo");

    // publish, as the builder Job runs it
    TestRegistry registry = TestRegistry.Kind.DOCKER_REGISTRY.anonymous();
    Path terminationLog = tmp.resolve("termination-log");
    long t2 = System.nanoTime();
    Cli published =
        Cli.run(
            "--repo",
            ws.toString(),
            "publish",
            "--extension",
            NAME,
            "--image",
            registry.image("plugins/" + NAME + ":0.1.0"),
            "--plain-http",
            "--termination-log",
            terminationLog.toString(),
            // Not offline: publish runs 'clean', whose plugin a clean machine may not have yet.
            mavenRepo);
    long publishMillis = (System.nanoTime() - t2) / 1_000_000;
    assertThat(published.exitCode()).as(published.toString()).isZero();
    String json = published.out().strip();
    assertThat(json)
        .matches(
            "\\{\"digest\":\"(sha256:[0-9a-f]{64})\",\"reference\":\""
                + Pattern.quote(registry.image("plugins/" + NAME))
                + "@sha256:[0-9a-f]{64}\",\"size\":"
                + Files.size(ws.resolve("extensions/" + NAME + "/target/plugin.wasm"))
                + "}");
    assertThat(Files.readString(terminationLog)).isEqualTo(json + "\n");
    String digest = json.substring(json.indexOf("sha256:"), json.indexOf("sha256:") + 71);

    // verify what was published
    Cli verified =
        Cli.run("verify", registry.image("plugins/" + NAME + "@" + digest), "--plain-http");
    assertThat(verified.exitCode()).as(verified.toString()).isZero();

    // publish from a git revision of the same sources
    git(ws, "init", "-q", "-b", "main");
    Files.writeString(ws.resolve(".gitignore"), "target/\n");
    git(ws, "add", "-A");
    git(ws, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "x");
    Path gitLog = tmp.resolve("termination-log-git");
    long t3 = System.nanoTime();
    Cli fromGit =
        Cli.run(
            "publish",
            "--git",
            ws.toUri().toString(),
            "--revision",
            "main",
            "--path",
            "extensions/" + NAME,
            "--image",
            registry.image("plugins/" + NAME + ":git"),
            "--plain-http",
            "--termination-log",
            gitLog.toString(),
            mavenRepo);
    long gitMillis = (System.nanoTime() - t3) / 1_000_000;
    assertThat(fromGit.exitCode()).as(fromGit.toString()).isZero();
    assertThat(fromGit.err()).contains("checked out ");
    String gitJson = fromGit.out().strip();
    assertThat(Files.readString(gitLog)).isEqualTo(gitJson + "\n");
    String gitDigest =
        gitJson.substring(gitJson.indexOf("sha256:"), gitJson.indexOf("sha256:") + 71);
    // The digest is a function of plugin.wasm, spec.yaml and README.md alone. (Not of the sources:
    // TeaVM may compile the same sources to different bytes in differently warmed JVMs; see the
    // SDK's notes. With identical modules the two digests are identical.)
    VerifyReport pulled =
        new ImageVerifier(RegistryAccess.builder().plainHttp(true).build(), line -> {})
            .verify(ImageReference.parse(registry.image("plugins/" + NAME + ":git")));
    Path ext = ws.resolve("extensions/" + NAME);
    ImageLayout again =
        ImageLayout.builder()
            .wasm(pulled.wasm())
            .spec(Files.readAllBytes(ext.resolve("spec.yaml")))
            .readme(Files.readAllBytes(ext.resolve("README.md")))
            .build();
    assertThat(again.manifestDigest()).isEqualTo(gitDigest);
    byte[] local = Files.readAllBytes(ext.resolve("target/plugin.wasm"));
    if (java.util.Arrays.equals(local, pulled.wasm())) {
      assertThat(gitDigest).isEqualTo(digest);
    }
    System.out.printf(
        "[measure] publish --extension and publish --git: modules %s, digests %s%n",
        java.util.Arrays.equals(local, pulled.wasm()) ? "identical" : "DIFFERENT",
        gitDigest.equals(digest) ? "identical" : "different");

    Cli badPath =
        Cli.run(
            "publish",
            "--git",
            ws.toUri().toString(),
            "--revision",
            "main",
            "--path",
            "../outside",
            "--image",
            registry.image("plugins/" + NAME + ":bad"),
            "--plain-http",
            "--termination-log",
            tmp.resolve("no-log").toString());
    assertThat(badPath.exitCode()).isEqualTo(2);
    assertThat(badPath.lastErrorLine()).isEqualTo("error: --path ../outside leaves the repository");
    assertThat(tmp.resolve("no-log")).doesNotExist();

    System.out.printf(
        "[measure] new+build %d ms, generated tests (%d) + format check %d ms, publish (clean build +"
            + " push) %d ms, publish --git (clone + build + push) %d ms%n",
        buildMillis, testsRun, testMillis, publishMillis, gitMillis);
  }

  /** Root pom (its module list cut to extensions/), extensions/pom.xml with no modules yet. */
  private static Path copyCheckoutSkeleton(Path checkout, Path to) throws Exception {
    Files.createDirectories(to.resolve("extensions"));
    String root = Files.readString(checkout.resolve("pom.xml"), StandardCharsets.UTF_8);
    String onlyExtensions = "<modules>\n    <module>extensions</module>\n  </modules>";
    Files.writeString(
        to.resolve("pom.xml"), root.replaceFirst("(?s)<modules>.*?</modules>", onlyExtensions));
    String ext = Files.readString(checkout.resolve("extensions/pom.xml"), StandardCharsets.UTF_8);
    Files.writeString(
        to.resolve("extensions/pom.xml"),
        ext.replaceFirst("(?s)<modules>.*?</modules>", "<modules>\n  </modules>"));
    return to;
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}

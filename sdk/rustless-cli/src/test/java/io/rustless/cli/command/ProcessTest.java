package io.rustless.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.RustlessCli;
import io.rustless.cli.fixture.FixtureWorkspace;
import io.rustless.cli.fixture.TestRegistry;
import io.rustless.cli.fixture.Upstream;
import io.rustless.testing.services.LocalService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool as its own process, as a user or the builder Job runs it: the JVM must exit when the
 * command is done (ORAS's own thread pool would keep it alive), credentials come from
 * DOCKER_CONFIG, and serve answers curl-like requests until it is stopped.
 */
class ProcessTest {
  @TempDir static Path tmp;
  static Path repo;

  @BeforeAll
  static void setUp() {
    repo = FixtureWorkspace.create(tmp.resolve("repo"));
  }

  private static ProcessBuilder rustless(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(RustlessCli.class.getName());
    command.add("--repo");
    command.add(repo.toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  @Test
  void pushWithDockerConfigFromTheEnvironmentExitsWhenDone() throws Exception {
    TestRegistry registry = TestRegistry.Kind.DOCKER_REGISTRY.authenticated();
    Path docker = Files.createDirectories(tmp.resolve("docker"));
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (TestRegistry.USER + ":" + TestRegistry.PASSWORD).getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        docker.resolve("config.json"),
        "{\"auths\": {\"" + registry.host() + "\": {\"auth\": \"" + auth + "\"}}}");
    ProcessBuilder pb =
        rustless(
            "push",
            "fixture",
            "--image",
            registry.image("plugins/fixture:process"),
            "--plain-http",
            "--json");
    pb.environment().put("DOCKER_CONFIG", docker.toString());
    pb.redirectError(tmp.resolve("push.err").toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS))
        .as("the JVM must exit after the push (no non-daemon threads left)")
        .isTrue();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    String err = Files.readString(tmp.resolve("push.err"));
    assertThat(p.exitValue()).as(out + err).isZero();
    assertThat(out.strip())
        .matches(
            "\\{\"digest\":\"sha256:[0-9a-f]{64}\",\"reference\":\""
                + registry.host().replace(".", "\\.")
                + "/plugins/fixture@sha256:[0-9a-f]{64}\",\"size\":\\d+}");
    assertThat(err).contains("user rustless (" + docker.resolve("config.json") + ")");
    System.out.printf("[measure] push in a fresh JVM, start to exit: %d ms%n", ms);
  }

  @Test
  void serveAnswersRealRequestsUntilStopped() throws Exception {
    try (Upstream upstream = new Upstream()) {
      int port = LocalService.freePort();
      Process p =
          rustless(
                  "serve",
                  "fixture",
                  "--upstream",
                  upstream.uri().toString(),
                  "--listen",
                  "127.0.0.1:" + port)
              .redirectError(tmp.resolve("serve.err").toFile())
              .start();
      try {
        BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("http://127.0.0.1:" + port);
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> ok =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("X-FIXTURE: T1").contains("HOST: 127.0.0.1:" + port);
        HttpResponse<String> blocked =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/blocked")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(blocked.statusCode()).isEqualTo(403);
      } finally {
        p.destroy();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      }
      String err = Files.readString(tmp.resolve("serve.err"));
      assertThat(err)
          .contains("==> Serving fixture on http://127.0.0.1:" + port + " -> " + upstream.uri())
          .contains("GET 127.0.0.1:" + port + "/echo -> 200 from upstream 200")
          .contains("GET 127.0.0.1:" + port + "/blocked -> 403 local reply from the plugin");
    }
  }
}

package io.rustless.dev;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code docker-registry} on 127.0.0.1 (a free port, storage in {@code dir}), for {@code
 * rustless dev --registry}. Missing, the test is skipped, except in CI ({@code CI} set), where
 * .ci/run installs it.
 */
final class DebianRegistry implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/bin/docker-registry");

  private final Process process;
  private final int port;

  private DebianRegistry(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static DebianRegistry start(Path dir) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank() && !ci.equals("false")) {
        Assertions.fail(
            "docker-registry is not installed; CI must install Debian's docker-registry");
      }
      Assumptions.abort(
          "docker-registry is not installed (Debian: apt-get install docker-registry)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(dir);
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "version: 0.1",
            "log:",
            "  level: warn",
            "storage:",
            "  filesystem:",
            "    rootdirectory: " + dir.resolve("data"),
            "http:",
            "  addr: 127.0.0.1:" + port,
            ""));
    Process p =
        new ProcessBuilder(BINARY.toString(), "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    var r = new DebianRegistry(p, port);
    Instant until = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(until)) {
      if (r.status("/v2/").isPresent()) {
        return r;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    r.close();
    throw new IllegalStateException("docker-registry did not answer on port " + port);
  }

  String host() {
    return "127.0.0.1:" + port;
  }

  /** The digest the registry serves for the manifest {@code repository@reference}. */
  Optional<String> manifestDigest(String repository, String reference) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://" + host() + "/v2/" + repository + "/manifests/" + reference))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .header(
                "Accept",
                "application/vnd.oci.image.manifest.v1+json,"
                    + " application/vnd.docker.distribution.manifest.v2+json")
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      HttpResponse<Void> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200
          ? response.headers().firstValue("Docker-Content-Digest")
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Optional<Integer> status(String path) {
    try {
      HttpResponse<Void> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + host() + path))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return Optional.of(response.statusCode());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

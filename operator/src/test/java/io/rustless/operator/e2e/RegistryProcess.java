package io.rustless.operator.e2e;

import io.rustless.operator.podman.ContainerTests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (CNCF distribution) on 127.0.0.1 with an htpasswd user, its
 * storage in a temporary directory. It can be stopped and started again on the same port with the
 * same storage, as a registry that goes away mid-build and comes back.
 */
final class RegistryProcess implements AutoCloseable {

  static final String USER = "ci";
  static final String PASSWORD = "s3cret";

  private final Path dir;
  private final int port;
  private Process process;

  private RegistryProcess(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  static RegistryProcess start() {
    Path binary = Path.of("/usr/bin/docker-registry");
    ContainerTests.built(binary, "apt-get install -y docker-registry (Debian)");
    ContainerTests.built(Path.of("/usr/bin/htpasswd"), "apt-get install -y apache2-utils");
    try {
      Path dir = Files.createTempDirectory("rustless-e2e-registry");
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path htpasswd = dir.resolve("htpasswd");
      Process h = new ProcessBuilder("htpasswd", "-Bbn", USER, PASSWORD).start();
      String line = new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!h.waitFor(30, TimeUnit.SECONDS) || h.exitValue() != 0) {
        throw new IllegalStateException("htpasswd failed");
      }
      Files.writeString(htpasswd, line + "\n");
      Files.writeString(
          dir.resolve("config.yml"),
          String.join(
              "\n",
              "version: 0.1",
              "log:",
              "  level: warn",
              "  accesslog:",
              "    disabled: true",
              "storage:",
              "  filesystem:",
              "    rootdirectory: " + dir.resolve("data"),
              "  delete:",
              "    enabled: true",
              "http:",
              "  addr: 127.0.0.1:" + port,
              "auth:",
              "  htpasswd:",
              "    realm: rustless-e2e",
              "    path: " + htpasswd,
              ""));
      var r = new RegistryProcess(dir, port);
      r.up();
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts the registry (again) on its port and waits until it answers. */
  synchronized void up() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process =
          new ProcessBuilder(
                  "/usr/bin/docker-registry", "serve", dir.resolve("config.yml").toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("registry.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant until = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(until)) {
      if (status("/v2/", false).isPresent()) {
        return;
      }
      sleep(100);
    }
    throw new IllegalStateException("docker-registry did not answer on " + host());
  }

  /** Stops the registry; its port refuses connections until {@link #up()}. */
  synchronized void down() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** {@code 127.0.0.1:PORT}. */
  String host() {
    return "127.0.0.1:" + port;
  }

  /** A docker config.json with {@code user}/{@code password} for this registry. */
  String dockerConfigJson(String user, String password) {
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return "{\"auths\":{\"" + host() + "\":{\"auth\":\"" + auth + "\"}}}";
  }

  /** The manifest digest the registry serves for {@code repository:tag} (or @digest). */
  Optional<String> manifestDigest(String repository, String reference) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://" + host() + "/v2/" + repository + "/manifests/" + reference))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .header(
                "Accept",
                "application/vnd.oci.image.manifest.v1+json,"
                    + " application/vnd.docker.distribution.manifest.v2+json")
            .header("Authorization", basic())
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
      return Optional.empty();
    }
  }

  private Optional<Integer> status(String path, boolean auth) {
    var b =
        HttpRequest.newBuilder(URI.create("http://" + host() + path))
            .timeout(Duration.ofSeconds(2));
    if (auth) {
      b.header("Authorization", basic());
    }
    try {
      return Optional.of(
          HttpClient.newHttpClient()
              .send(b.build(), HttpResponse.BodyHandlers.discarding())
              .statusCode());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static String basic() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    down();
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}

package io.rustless.testservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianRegistryTest {
  private static final String USER = "rustless";
  private static final String PASSWORD = "s3cret:with-colon";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anonymousRegistryServesTheDistributionApi() throws Exception {
    try (DebianRegistry registry = DebianRegistry.builder().start()) {
      assertThat(registry.host()).isEqualTo("127.0.0.1:" + registry.port());
      assertThat(registry.image("plugins/x:1")).isEqualTo(registry.host() + "/plugins/x:1");
      assertThat(registry.toString()).isEqualTo("docker-registry " + registry.host());
      assertThat(get(registry, "/v2/", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void htpasswdUserIsRequiredAndAccepted() throws Exception {
    try (DebianRegistry registry = DebianRegistry.builder().htpasswd(USER, PASSWORD).start()) {
      assertThat(get(registry, "/v2/", null).statusCode()).isEqualTo(401);
      assertThat(get(registry, "/v2/", USER + ":wrong").statusCode()).isEqualTo(401);
      assertThat(get(registry, "/v2/", USER + ":" + PASSWORD).statusCode()).isEqualTo(200);
      assertThat(Files.readString(registry.directory().resolve("htpasswd")))
          .startsWith(USER + ":$2y$")
          .doesNotContain(PASSWORD);
    }
  }

  @Test
  void stopAndStartKeepPortAndStorage() throws Exception {
    try (DebianRegistry registry = DebianRegistry.builder().htpasswd(USER, PASSWORD).start()) {
      String digest = pushManifest(registry, "plugins/greeter", "v1");
      assertThat(registry.manifestDigest("plugins/greeter", "v1")).contains(digest);
      int port = registry.port();

      registry.stop();
      assertThatThrownBy(() -> get(registry, "/v2/", null)).isInstanceOf(ConnectException.class);
      assertThat(registry.manifestDigest("plugins/greeter", "v1")).isEmpty();

      registry.start();
      registry.start(); // running: nothing to do
      assertThat(registry.port()).isEqualTo(port);
      assertThat(registry.manifestDigest("plugins/greeter", "v1")).contains(digest);
      assertThat(registry.manifestDigest("plugins/greeter", "v2")).isEmpty();
    }
  }

  @Test
  void aGivenDirectoryHoldsEverythingAndOutlivesTheRegistry(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("registry");
    try (DebianRegistry registry = DebianRegistry.builder().directory(dir).start()) {
      assertThat(registry.directory()).isEqualTo(dir);
      pushManifest(registry, "plugins/kept", "v1");
    }
    assertThat(dir.resolve("config.yml")).content().contains("addr: 127.0.0.1:");
    assertThat(dir.resolve("config.yml")).content().doesNotContain("htpasswd");
    assertThat(dir.resolve("data")).isDirectory();
  }

  @Test
  void aTemporaryDirectoryIsDeletedOnClose() {
    Path dir;
    try (DebianRegistry registry = DebianRegistry.builder().start()) {
      dir = registry.directory();
      assertThat(dir.resolve("config.yml")).exists();
    }
    assertThat(dir).doesNotExist();
  }

  @Test
  void aStartThatFailsQuotesTheRegistryLog() throws Exception {
    try (DebianRegistry registry = DebianRegistry.builder().start()) {
      registry.stop();
      try (ServerSocket taken = new ServerSocket()) {
        taken.bind(new InetSocketAddress("127.0.0.1", registry.port()));
        assertThatThrownBy(registry::start)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("docker-registry exited at start-up")
            .hasMessageContaining("docker-registry.log")
            .hasMessageContaining("address already in use");
      }
      registry.start();
      assertThat(get(registry, "/v2/", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void htpasswdNeedsAUserNameWithoutColonAndAPassword() {
    assertThatThrownBy(() -> DebianRegistry.builder().htpasswd("a:b", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a:b'");
    assertThatThrownBy(() -> DebianRegistry.builder().htpasswd("", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DebianRegistry.builder().htpasswd("a", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theProgramsComeThroughThePolicyHtpasswdOnlyWithAUser() {
    List<String> asked = new ArrayList<>();
    ProgramPolicy recording =
        (pkg, program) -> {
          asked.add(pkg + " " + program);
          return ProgramPolicy.fail().require(pkg, program);
        };
    DebianRegistry.builder().programs(recording).start().close();
    assertThat(asked).containsExactly("docker-registry /usr/bin/docker-registry");

    asked.clear();
    DebianRegistry.builder().programs(recording).htpasswd(USER, PASSWORD).start().close();
    assertThat(asked)
        .containsExactly(
            "docker-registry /usr/bin/docker-registry", "apache2-utils /usr/bin/htpasswd");
  }

  private HttpResponse<String> get(DebianRegistry registry, String path, String userPassword)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + registry.host() + path));
    if (userPassword != null) {
      b.header("Authorization", "Basic " + base64(userPassword));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Pushes a one-layer OCI image over the distribution API; returns the manifest's digest. */
  private String pushManifest(DebianRegistry registry, String repository, String tag)
      throws Exception {
    String auth = "Basic " + base64(USER + ":" + PASSWORD);
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    String configDigest = digest(config);
    HttpResponse<String> upload =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://" + registry.host() + "/v2/" + repository + "/blobs/uploads/"))
                .header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
    String location = upload.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> blob =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + registry.host())
                        .resolve(
                            location
                                + (location.contains("?") ? "&" : "?")
                                + "digest="
                                + configDigest))
                .header("Authorization", auth)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(config))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(blob.statusCode()).as(blob.body()).isEqualTo(201);
    String descriptor =
        "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
            + configDigest
            + "\",\"size\":"
            + config.length
            + "}";
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":"
                + descriptor
                + ",\"layers\":["
                + descriptor.replace("config.v1+json", "layer.v1.tar")
                + "]}")
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://" + registry.host() + "/v2/" + repository + "/manifests/" + tag))
                .header("Authorization", auth)
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    return digest(manifest);
  }

  private static String digest(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}

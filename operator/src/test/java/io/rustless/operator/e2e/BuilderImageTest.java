package io.rustless.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.kubelet.Podman;
import io.rustless.operator.podman.ContainerTests;
import io.rustless.testservices.DebianRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images docker/build-images.sh builds, run as users and the operator run them: the builder
 * read-only as its user 10001 with only {@code /tmp} writable and no trust store (so nothing can be
 * fetched from Maven Central, or any TLS host) publishes say-hello with the same digest as {@code
 * ./rustless push say-hello} from this checkout; the plugin image holds the same plugin.wasm and is
 * an image Higress's fetcher accepts.
 */
class BuilderImageTest {

  private static final Pattern DIGEST = Pattern.compile("\"digest\":\"(sha256:[0-9a-f]{64})\"");

  static DebianRegistry registry;
  static Podman podman;
  static String image;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    image = ContainerTests.builderImage();
    podman = ContainerTests.podmanRunning(image);
    HostCli.requireBuilt();
    registry = ContainerTests.registry();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void theBuilderPublishesReadOnlyAsItsUserOfflineTheDigestAHostPushGives() throws Exception {
    ContainerTests.built(
        HostCli.ROOT.resolve("extensions/say-hello/target/plugin.wasm"),
        "build it with ./rustless build say-hello (mvn -B verify does)");
    Path dockerConfig = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(
        dockerConfig.resolve("config.json"),
        registry.dockerConfigJson(ContainerTests.REGISTRY_USER, ContainerTests.REGISTRY_PASSWORD));
    Path emptyTrustStore = tmp.resolve("empty-cacerts.p12");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    try (OutputStream out = Files.newOutputStream(emptyTrustStore)) {
      ks.store(out, "changeit".toCharArray());
    }

    var args = new ArrayList<String>(List.of("run", "--rm"));
    args.addAll(podman.runOptions());
    args.addAll(
        List.of(
            "--network",
            "host",
            "--read-only",
            "--read-only-tmpfs=false",
            "--user",
            "10001:10001",
            "--tmpfs",
            "/tmp",
            "--volume",
            dockerConfig + ":/var/run/rustless/docker:ro",
            // Debian's JDK trusts what this file holds: nothing.
            "--volume",
            emptyTrustStore + ":/etc/ssl/certs/java/cacerts:ro",
            image,
            "publish",
            "--extension",
            "say-hello",
            "--image",
            registry.host() + "/plugins/say-hello:from-image",
            "--plain-http"));
    long t0 = System.nanoTime();
    Podman.Result inImage = podman.exec(args, Duration.ofMinutes(10));
    long seconds = (System.nanoTime() - t0) / 1_000_000_000;
    assertThat(inImage.exitCode()).as(inImage.out() + inImage.err()).isZero();
    Matcher m = DIGEST.matcher(inImage.out());
    assertThat(m.find()).as(inImage.out()).isTrue();
    String imageDigest = m.group(1);
    System.err.println("[builder image] publish in the image: " + seconds + " s, " + imageDigest);

    HostCli.Run host =
        HostCli.run(
            "push",
            "say-hello",
            "--image",
            registry.host() + "/plugins/say-hello:from-host",
            "--plain-http",
            "--username",
            ContainerTests.REGISTRY_USER,
            "--password",
            ContainerTests.REGISTRY_PASSWORD);
    assertThat(host.exitCode()).as(host.toString()).isZero();

    assertThat(imageDigest)
        .as(
            "the image's build of say-hello and this checkout's differ: was the image built from"
                + " other sources? (docker/build-images.sh rebuilds it)")
        .isEqualTo(host.field("digest"));
    assertThat(registry.manifestDigest("plugins/say-hello", "from-image")).hasValue(imageDigest);
  }

  @Test
  void thePluginImageHoldsTheSamePluginWasmAndIsOneHigressLoads() throws Exception {
    Path hostWasm =
        ContainerTests.built(
            HostCli.ROOT.resolve("extensions/say-hello/target/plugin.wasm"),
            "build it with ./rustless build say-hello (mvn -B verify does)");
    String pluginImage = image.replace("/builder:", "/plugin-say-hello:");
    ContainerTests.podmanRunning(image);
    if (!podman.imageExists(pluginImage)) {
      ContainerTests.built(
          tmp.resolve("missing-image"),
          pluginImage + " is not in the local container storage: docker/build-images.sh builds it");
    }
    // FROM scratch: no process to run; a created container gives its files.
    Podman.Result created =
        podman.exec(List.of("create", pluginImage, "/plugin.wasm"), Duration.ofMinutes(2));
    assertThat(created.exitCode()).as(created.toString()).isZero();
    String id = created.out().strip();
    Path copied = tmp.resolve("from-image.wasm");
    try {
      Podman.Result cp =
          podman.exec(
              List.of("cp", id + ":/plugin.wasm", copied.toString()), Duration.ofMinutes(1));
      assertThat(cp.exitCode()).as(cp.toString()).isZero();
    } finally {
      podman.exec(List.of("rm", "--force", id), Duration.ofMinutes(1));
    }
    assertThat(sha256(copied)).isEqualTo(sha256(hostWasm));

    String ref = registry.host() + "/plugins/say-hello-image:docker";
    Podman.Result pushed =
        podman.exec(
            List.of(
                "push",
                "--tls-verify=false",
                "--creds",
                ContainerTests.REGISTRY_USER + ":" + ContainerTests.REGISTRY_PASSWORD,
                pluginImage,
                "docker://" + ref),
            Duration.ofMinutes(2));
    assertThat(pushed.exitCode()).as(pushed.toString()).isZero();
    HostCli.Run verified =
        HostCli.run(
            "verify",
            ref,
            "--plain-http",
            "--username",
            ContainerTests.REGISTRY_USER,
            "--password",
            ContainerTests.REGISTRY_PASSWORD);
    assertThat(verified.exitCode()).as(verified.toString()).isZero();
    assertThat(verified.err()).contains("plugin.wasm in the last layer");
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

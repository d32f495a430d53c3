package io.rustless.cli.gateway.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.rustless.cli.fixture.FixtureWasm;
import io.rustless.cli.fixture.TestRegistry;
import io.rustless.cli.gateway.higress.HigressController;
import io.rustless.cli.gateway.higress.PluginDeployment;
import io.rustless.cli.gateway.resource.KubeObject;
import io.rustless.cli.gateway.resource.ResourceSnapshot;
import io.rustless.cli.gateway.resource.YamlResources;
import io.rustless.cli.oci.Blob;
import io.rustless.cli.oci.Credentials;
import io.rustless.cli.oci.ImageLayout;
import io.rustless.cli.oci.ImageReference;
import io.rustless.cli.oci.Publisher;
import io.rustless.cli.oci.RegistryAccess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modules fetched as Higress's gateway fetches them: from Debian's docker-registry with and without
 * credentials (command line or the WasmPlugin's imagePullSecret), digests checked, pull policies
 * applied; from an HTTP server; from a file.
 */
class ModuleFetcherTest {
  private static final String NS = "higress-system";

  @TempDir static Path tmp;
  static byte[] wasm;
  static byte[] otherWasm;
  static TestRegistry anonymous;
  static TestRegistry authenticated;
  static String digestV1;

  @BeforeAll
  static void pushImages() throws Exception {
    wasm = Files.readAllBytes(FixtureWasm.path());
    otherWasm = withCustomSection(wasm, "rustless-test", "another build");
    anonymous = TestRegistry.Kind.DOCKER_REGISTRY.anonymous();
    authenticated = TestRegistry.Kind.DOCKER_REGISTRY.authenticated();
    digestV1 = push(anonymous, "gw/fetch:v1", wasm, null);
    push(anonymous, "gw/fetch:latest", wasm, null);
    push(
        authenticated,
        "gw/private:v1",
        wasm,
        new Credentials(TestRegistry.USER, TestRegistry.PASSWORD));
  }

  static String push(TestRegistry r, String image, byte[] module, Credentials c) {
    RegistryAccess.Builder b = RegistryAccess.builder().plainHttp(true).environment(Map.of());
    if (c != null) {
      b.credentials(c);
    }
    return new Publisher(b.build(), line -> {})
        .push(ImageLayout.builder().wasm(module).build(), ImageReference.parse(r.image(image)))
        .digest();
  }

  /** The same module with a custom section appended: another valid build, other bytes. */
  static byte[] withCustomSection(byte[] module, String name, String payload) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(module);
    out.write(0);
    out.write(1 + n.length + p.length);
    out.write(n.length);
    out.writeBytes(n);
    out.writeBytes(p);
    return out.toByteArray();
  }

  private static RegistryAccess plain() {
    return RegistryAccess.builder().plainHttp(true).environment(Map.of()).build();
  }

  private static ModuleFetcher fetcher(RegistryAccess access, List<String> log) {
    return ModuleFetcher.builder()
        .registryAccess(access)
        .retries(3, Duration.ofMillis(10))
        .progress(log::add)
        .build();
  }

  static PluginDeployment deployment(String name, String specYaml) {
    String yaml =
        "apiVersion: extensions.higress.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: "
            + name
            + "\n  namespace: "
            + NS
            + "\nspec:\n  "
            + specYaml.strip().replace("\n", "\n  ")
            + "\n";
    KubeObject o = YamlResources.parse(yaml, "test").get(0);
    return ((HigressController.Deployed) HigressController.translate(o, NS)).deployment();
  }

  private static ResourceSnapshot resources(String yaml) {
    return new ResourceSnapshot(YamlResources.parse(yaml, "test"), List.of());
  }

  // ---- OCI ------------------------------------------------------------------------------------

  @Test
  void pullsTheLastLayerOfAnImageByTag() {
    List<String> log = new ArrayList<>();
    ModuleFetcher.FetchedModule m =
        fetcher(plain(), log)
            .fetch(
                deployment("p", "url: oci://" + anonymous.image("gw/fetch:v1")),
                ResourceSnapshot.empty());
    assertThat(m.wasm()).isEqualTo(wasm);
    assertThat(m.checksum()).isEqualTo(digestV1.substring("sha256:".length()));
    assertThat(m.fromCache()).isFalse();
    assertThat(m.source()).contains("compat layout");
    assertThat(log).anySatisfy(l -> assertThat(l).contains("last layer"));
  }

  @Test
  void aUrlWithoutSchemeIsOci() {
    ModuleFetcher.FetchedModule m =
        fetcher(plain(), new ArrayList<>())
            .fetch(
                deployment("p", "url: " + anonymous.image("gw/fetch:v1")),
                ResourceSnapshot.empty());
    assertThat(m.wasm()).isEqualTo(wasm);
  }

  @Test
  void pullsByDigestAndChecksTheSha256Field() {
    String url = "oci://" + anonymous.image("gw/fetch") + "@" + digestV1;
    ModuleFetcher f = fetcher(plain(), new ArrayList<>());
    assertThat(f.fetch(deployment("p", "url: " + url), ResourceSnapshot.empty()).wasm())
        .isEqualTo(wasm);
    String hex = digestV1.substring("sha256:".length());
    assertThat(
            fetcher(plain(), new ArrayList<>())
                .fetch(
                    deployment(
                        "p", "url: oci://" + anonymous.image("gw/fetch:v1") + "\nsha256: " + hex),
                    ResourceSnapshot.empty())
                .wasm())
        .isEqualTo(wasm);
  }

  @Test
  void aDigestMismatchIsRefused() {
    String wrong = "0123456789abcdef".repeat(4);
    String url = "oci://" + anonymous.image("gw/fetch:v1");
    assertThatThrownBy(
            () ->
                fetcher(plain(), new ArrayList<>())
                    .fetch(
                        deployment("p", "url: " + url + "\nsha256: " + wrong),
                        ResourceSnapshot.empty()))
        .isInstanceOf(FetchException.class)
        .hasMessage(
            "cannot fetch Wasm module "
                + url
                + ": module downloaded from "
                + url
                + " has checksum "
                + digestV1.substring(7)
                + ", which does not match: "
                + wrong);
    // The url pinned to one digest and sha256 to another: the same refusal (cache.go 276-279).
    String pinned = "oci://" + anonymous.image("gw/fetch") + "@" + digestV1;
    assertThatThrownBy(
            () ->
                fetcher(plain(), new ArrayList<>())
                    .fetch(
                        deployment("p", "url: " + pinned + "\nsha256: " + wrong),
                        ResourceSnapshot.empty()))
        .hasMessageContaining("which does not match: " + wrong);
    // A digest the registry does not have.
    String missing = "oci://" + anonymous.image("gw/fetch") + "@sha256:" + "1".repeat(64);
    assertThatThrownBy(
            () ->
                fetcher(plain(), new ArrayList<>())
                    .fetch(deployment("p", "url: " + missing), ResourceSnapshot.empty()))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("was not found");
  }

  @Test
  void withoutPlainHttpAnHttpRegistryIsAskedAgainOverHttp() {
    List<String> log = new ArrayList<>();
    RegistryAccess https = RegistryAccess.builder().environment(Map.of()).build();
    ModuleFetcher.FetchedModule m =
        fetcher(https, log)
            .fetch(
                deployment("p", "url: oci://" + anonymous.image("gw/fetch:v1")),
                ResourceSnapshot.empty());
    assertThat(m.wasm()).isEqualTo(wasm);
    assertThat(log).anySatisfy(l -> assertThat(l).contains("does not speak HTTPS"));
  }

  @Test
  void aPrivateRegistryNeedsCredentials() {
    String url = "oci://" + authenticated.image("gw/private:v1");
    assertThatThrownBy(
            () ->
                fetcher(plain(), new ArrayList<>())
                    .fetch(deployment("p", "url: " + url), ResourceSnapshot.empty()))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("401 Unauthorized");
    RegistryAccess withUser =
        plain().toBuilder()
            .credentials(new Credentials(TestRegistry.USER, TestRegistry.PASSWORD))
            .build();
    assertThat(
            fetcher(withUser, new ArrayList<>())
                .fetch(deployment("p", "url: " + url), ResourceSnapshot.empty())
                .wasm())
        .isEqualTo(wasm);
  }

  private static String pullSecret(String name, String type, String registry, String password) {
    String auth =
        Base64.getEncoder()
            .encodeToString((TestRegistry.USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    String config = "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}";
    return "apiVersion: v1\nkind: Secret\nmetadata: {name: "
        + name
        + ", namespace: "
        + NS
        + "}\ntype: "
        + type
        + "\ndata:\n  .dockerconfigjson: "
        + Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))
        + "\n";
  }

  @Test
  void theImagePullSecretGivesTheCredentials() {
    String url = "oci://" + authenticated.image("gw/private:v1");
    PluginDeployment d = deployment("p", "url: " + url + "\nimagePullSecret: pull");
    ResourceSnapshot good =
        resources(
            pullSecret(
                "pull",
                "kubernetes.io/dockerconfigjson",
                authenticated.host(),
                TestRegistry.PASSWORD));
    assertThat(fetcher(plain(), new ArrayList<>()).fetch(d, good).wasm()).isEqualTo(wasm);

    ResourceSnapshot wrongPassword =
        resources(
            pullSecret("pull", "kubernetes.io/dockerconfigjson", authenticated.host(), "nope"));
    assertThatThrownBy(() -> fetcher(plain(), new ArrayList<>()).fetch(d, wrongPassword))
        .hasMessageContaining("401 Unauthorized")
        .hasMessageContaining("secret higress-system/pull");

    // The secret's entries and nothing else: the gateway's own credentials are not tried.
    RegistryAccess withUser =
        plain().toBuilder()
            .credentials(new Credentials(TestRegistry.USER, TestRegistry.PASSWORD))
            .build();
    ResourceSnapshot otherRegistry =
        resources(pullSecret("pull", "kubernetes.io/dockerconfigjson", "elsewhere.io", "x"));
    assertThatThrownBy(() -> fetcher(withUser, new ArrayList<>()).fetch(d, otherRegistry))
        .hasMessageContaining("401 Unauthorized");
  }

  @Test
  void anImagePullSecretThatCannotBeUsedFailsTheFetch() {
    // convert.go 193-197: "missing image pulling secret".
    String url = "oci://" + anonymous.image("gw/fetch:v1");
    PluginDeployment d = deployment("p", "url: " + url + "\nimagePullSecret: pull");
    assertThatThrownBy(() -> fetcher(plain(), new ArrayList<>()).fetch(d, ResourceSnapshot.empty()))
        .hasMessage(
            "cannot fetch Wasm module "
                + url
                + ": missing image pulling secret: secret higress-system/pull not found");
    ResourceSnapshot opaque = resources(pullSecret("pull", "Opaque", anonymous.host(), "x"));
    assertThatThrownBy(() -> fetcher(plain(), new ArrayList<>()).fetch(d, opaque))
        .hasMessageEndingWith(
            "type of secret higress-system/pull is Opaque, not kubernetes.io/dockerconfigjson");
    ResourceSnapshot noKey =
        resources(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: pull, namespace: higress-system}\n"
                + "type: kubernetes.io/dockerconfigjson\ndata: {other: e30=}\n");
    assertThatThrownBy(() -> fetcher(plain(), new ArrayList<>()).fetch(d, noKey))
        .hasMessageEndingWith(
            "cannot find docker config at secret higress-system/pull (no .dockerconfigjson)");
    ResourceSnapshot inOtherNamespace =
        resources(
            pullSecret("pull", "kubernetes.io/dockerconfigjson", anonymous.host(), "x")
                .replace("namespace: " + NS, "namespace: default"));
    assertThatThrownBy(() -> fetcher(plain(), new ArrayList<>()).fetch(d, inOtherNamespace))
        .hasMessageEndingWith("secret higress-system/pull not found");
  }

  @Test
  void pullPoliciesDecideWhenATagIsPulledAgain() {
    String repo = "gw/policy";
    push(anonymous, repo + ":v1", wasm, null);
    push(anonymous, repo + ":latest", wasm, null);
    String tagged = "url: oci://" + anonymous.image(repo + ":v1");
    String latest = "url: oci://" + anonymous.image(repo + ":latest");
    ModuleFetcher f = fetcher(plain(), new ArrayList<>());
    assertThat(f.fetch(deployment("a", tagged), ResourceSnapshot.empty()).fromCache()).isFalse();
    assertThat(f.fetch(deployment("b", latest), ResourceSnapshot.empty()).fromCache()).isFalse();

    // Both tags move to another build.
    push(anonymous, repo + ":v1", otherWasm, null);
    push(anonymous, repo + ":latest", otherWasm, null);

    // UNSPECIFIED on a tag: IfNotPresent, even after the WasmPlugin changed.
    ModuleFetcher.FetchedModule same =
        f.fetch(deployment("a", tagged + "\ndefaultConfig: {x: 1}"), ResourceSnapshot.empty());
    assertThat(same.fromCache()).isTrue();
    assertThat(same.wasm()).isEqualTo(wasm);
    // UNSPECIFIED on :latest is Always: a changed WasmPlugin pulls again.
    ModuleFetcher.FetchedModule unchanged =
        f.fetch(deployment("b", latest), ResourceSnapshot.empty());
    assertThat(unchanged.fromCache()).isTrue();
    ModuleFetcher.FetchedModule repulled =
        f.fetch(deployment("b", latest + "\ndefaultConfig: {x: 1}"), ResourceSnapshot.empty());
    assertThat(repulled.fromCache()).isFalse();
    assertThat(repulled.wasm()).isEqualTo(otherWasm);
    // Always on a tag: pulled again on change.
    ModuleFetcher.FetchedModule always =
        f.fetch(
            deployment("a", tagged + "\nimagePullPolicy: Always\ndefaultConfig: {x: 2}"),
            ResourceSnapshot.empty());
    assertThat(always.wasm()).isEqualTo(otherWasm);
    // IfNotPresent on :latest: the cached one.
    ModuleFetcher g = fetcher(plain(), new ArrayList<>());
    g.fetch(deployment("c", latest), ResourceSnapshot.empty());
    push(anonymous, repo + ":latest", wasm, null);
    assertThat(
            g.fetch(
                    deployment(
                        "c", latest + "\nimagePullPolicy: IfNotPresent\ndefaultConfig: {y: 1}"),
                    ResourceSnapshot.empty())
                .wasm())
        .isEqualTo(otherWasm);
  }

  @Test
  void aPinnedModuleIsNeverPulledTwiceWhateverThePolicy() {
    String url = "oci://" + anonymous.image("gw/fetch") + "@" + digestV1;
    ModuleFetcher f = fetcher(plain(), new ArrayList<>());
    assertThat(f.fetch(deployment("p", "url: " + url), ResourceSnapshot.empty()).fromCache())
        .isFalse();
    assertThat(
            f.fetch(
                    deployment(
                        "p", "url: " + url + "\nimagePullPolicy: Always\ndefaultConfig: {z: 1}"),
                    ResourceSnapshot.empty())
                .fromCache())
        .isTrue();
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  @Test
  void downloadsOverHttpUnwrapsAndChecksTheModulesSha256() throws Exception {
    AtomicInteger failuresLeft = new AtomicInteger(2);
    ConcurrentLinkedQueue<String> paths = new ConcurrentLinkedQueue<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getPath();
          paths.add(path);
          byte[] body;
          int status = 200;
          switch (path) {
            case "/plugin.wasm" -> body = wasm;
            case "/plugin.wasm.gz" -> body = gzip(wasm);
            case "/plugin.tar.gz" -> body = gzip(tar("plugin.wasm", wasm));
            case "/flaky.wasm" -> {
              body = wasm;
              if (failuresLeft.getAndDecrement() > 0) {
                status = 503;
                body = "busy".getBytes(StandardCharsets.UTF_8);
              }
            }
            case "/text" -> body = "not a module".getBytes(StandardCharsets.UTF_8);
            default -> {
              status = 404;
              body = new byte[0];
            }
          }
          ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
          }
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      ModuleFetcher f = fetcher(plain(), new ArrayList<>());
      String sha = Blob.sha256Hex(wasm);
      for (String p : List.of("/plugin.wasm", "/plugin.wasm.gz", "/plugin.tar.gz")) {
        ModuleFetcher.FetchedModule m =
            f.fetch(
                deployment("h" + p.length(), "url: " + base + p + "\nsha256: " + sha),
                ResourceSnapshot.empty());
        assertThat(m.wasm()).as(p).isEqualTo(wasm);
        assertThat(m.checksum()).isEqualTo(sha);
      }
      assertThat(
              f.fetch(deployment("flaky", "url: " + base + "/flaky.wasm"), ResourceSnapshot.empty())
                  .wasm())
          .isEqualTo(wasm);
      assertThat(paths.stream().filter("/flaky.wasm"::equals).count()).isEqualTo(3);

      assertThatThrownBy(
              () ->
                  f.fetch(
                      deployment("x", "url: " + base + "/plugin.wasm\nsha256: " + "a".repeat(64)),
                      ResourceSnapshot.empty()))
          .hasMessageContaining(
              "has checksum " + sha + ", which does not match: " + "a".repeat(64));
      int before = paths.size();
      assertThatThrownBy(
              () ->
                  f.fetch(
                      deployment("y", "url: " + base + "/missing.wasm"), ResourceSnapshot.empty()))
          .hasMessageEndingWith(
              "wasm module download failed after 1 attempt, last error: status code 404");
      assertThat(paths.size() - before).as("a 404 is not retried").isEqualTo(1);
      assertThatThrownBy(
              () -> f.fetch(deployment("z", "url: " + base + "/text"), ResourceSnapshot.empty()))
          .hasMessageEndingWith("fetched Wasm binary from " + base + "/text is invalid");
    } finally {
      server.stop(0);
    }
  }

  // ---- file -----------------------------------------------------------------------------------

  @Test
  void readsAFileEachTime() throws Exception {
    Path file = tmp.resolve("module.wasm");
    Files.write(file, wasm);
    ModuleFetcher f = fetcher(plain(), new ArrayList<>());
    PluginDeployment d = deployment("f", "url: file://" + file + "\nsha256: ignored-for-files");
    assertThat(f.fetch(d, ResourceSnapshot.empty()).wasm()).isEqualTo(wasm);
    Files.write(file, otherWasm);
    assertThat(f.fetch(d, ResourceSnapshot.empty()).wasm()).isEqualTo(otherWasm);
    assertThatThrownBy(
            () ->
                f.fetch(
                    deployment("g", "url: file://" + tmp.resolve("none.wasm")),
                    ResourceSnapshot.empty()))
        .hasMessageStartingWith("cannot read Wasm module " + tmp.resolve("none.wasm"));
    Path text = tmp.resolve("text.wasm");
    Files.writeString(text, "hello");
    assertThatThrownBy(
            () -> f.fetch(deployment("h", "url: file://" + text), ResourceSnapshot.empty()))
        .hasMessageEndingWith("is not a Wasm binary");
  }

  @Test
  void otherSchemesAndEmptyUrlsAreRefused() {
    ModuleFetcher f = fetcher(plain(), new ArrayList<>());
    assertThatThrownBy(
            () -> f.fetch(deployment("s", "url: s3://bucket/p.wasm"), ResourceSnapshot.empty()))
        .hasMessage(
            "cannot fetch Wasm module s3://bucket/p.wasm: unsupported Wasm module downloading URL"
                + " scheme: s3");
    assertThatThrownBy(() -> f.fetch(deployment("e", "phase: AUTHN"), ResourceSnapshot.empty()))
        .hasMessage("cannot fetch the Wasm module: spec.url is empty");
  }

  private static byte[] gzip(byte[] in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(in);
    }
    return out.toByteArray();
  }

  private static byte[] tar(String name, byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      TarArchiveEntry e = new TarArchiveEntry(name);
      e.setSize(content.length);
      t.putArchiveEntry(e);
      t.write(content);
      t.closeArchiveEntry();
    }
    return out.toByteArray();
  }
}

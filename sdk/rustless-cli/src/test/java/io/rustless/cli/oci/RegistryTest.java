package io.rustless.cli.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.fixture.Cli;
import io.rustless.cli.fixture.FixtureWasm;
import io.rustless.cli.fixture.FixtureWorkspace;
import io.rustless.cli.fixture.TestRegistry;
import io.rustless.testing.services.LocalService;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import land.oras.ContainerRef;
import land.oras.Layer;
import land.oras.Manifest;
import land.oras.Registry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * push, verify and publish against real registries on 127.0.0.1: Debian's docker-registry, and the
 * same scenarios against the CLI's embedded registry ({@code rustless registry}).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestRegistry.Kind.class)
class RegistryTest {
  @Parameter TestRegistry.Kind kind;

  private static final Pattern DIGEST = Pattern.compile("digest\\s+(sha256:[0-9a-f]{64})");

  @TempDir static Path tmp;
  static Path repo;
  static TestRegistry anonymous;
  static TestRegistry authenticated;

  @BeforeAll
  static void setUp() {
    repo = FixtureWorkspace.create(tmp.resolve("repo"));
  }

  @BeforeParameterizedClassInvocation
  static void registries(TestRegistry.Kind kind) {
    anonymous = kind.anonymous();
    authenticated = kind.authenticated();
  }

  private static Cli cli(String... args) {
    List<String> all = new ArrayList<>(List.of("--repo", repo.toString()));
    all.addAll(List.of(args));
    return Cli.run(all);
  }

  private static String digestOf(Cli run) {
    Matcher m = DIGEST.matcher(run.out());
    assertThat(m.find()).as(run.toString()).isTrue();
    return m.group(1);
  }

  private static Cli pushAnonymous(String tag) {
    return cli(
        "push", "fixture", "--image", anonymous.image("plugins/fixture:" + tag), "--plain-http");
  }

  private static Cli pushAuthenticated(String tag, String password) {
    return cli(
        "push",
        "fixture",
        "--image",
        authenticated.image("plugins/fixture:" + tag),
        "--plain-http",
        "--username",
        TestRegistry.USER,
        "--password",
        password);
  }

  private static ImageLayout expectedLayout() {
    Path ext = repo.resolve("extensions/fixture");
    return ImageLayout.of(
        ext.resolve("target/plugin.wasm"),
        java.util.Optional.of(ext.resolve("spec.yaml")),
        java.util.Optional.of(ext.resolve("README.md")));
  }

  @Test
  void theSameInputGetsTheSameDigestOnEveryPushAndRegistry() {
    long t0 = System.nanoTime();
    Cli first = pushAnonymous("1.0.0");
    long firstMillis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(first.exitCode()).as(first.toString()).isZero();
    String digest = digestOf(first);
    assertThat(digest).isEqualTo(expectedLayout().manifestDigest());
    assertThat(first.out())
        .contains("reference  " + anonymous.image("plugins/fixture@" + digest))
        .contains("url        oci://" + anonymous.image("plugins/fixture@" + digest));

    Cli again = pushAnonymous("1.0.0");
    assertThat(digestOf(again)).isEqualTo(digest);
    assertThat(again.err()).contains("0 of 4 blobs uploaded");
    assertThat(digestOf(pushAnonymous("latest"))).isEqualTo(digest);

    long t1 = System.nanoTime();
    Cli auth = pushAuthenticated("1.0.0", TestRegistry.PASSWORD);
    long authMillis = (System.nanoTime() - t1) / 1_000_000;
    assertThat(auth.exitCode()).as(auth.toString()).isZero();
    assertThat(digestOf(auth)).isEqualTo(digest);
    System.out.printf(
        "[measure] %s: manifest digest %s; first push %d ms, push with auth %d ms%n",
        anonymous, digest, firstMillis, authMillis);
  }

  @Test
  void whatWasPushedPullsBackInTheHigressLayout() throws Exception {
    Cli push = pushAnonymous("layout");
    assertThat(push.exitCode()).as(push.toString()).isZero();
    Registry registry = Registry.builder().withInsecure(true).build();
    ContainerRef ref = ContainerRef.parse(anonymous.image("plugins/fixture:layout"));
    long t0 = System.nanoTime();
    Manifest m = registry.getManifest(ref);
    assertThat(m.getMediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(m.getDescriptor().getDigest()).isEqualTo(digestOf(push));
    assertThat(m.getConfig().getMediaType()).isEqualTo("application/vnd.unknown.config.v1+json");
    List<Layer> layers = m.getLayers();
    assertThat(layers)
        .extracting(Layer::getMediaType)
        .containsExactly(
            "application/vnd.module.wasm.spec.v1+yaml",
            "application/vnd.module.wasm.doc.v1+markdown",
            "application/vnd.oci.image.layer.v1.tar+gzip");
    assertThat(m.getAnnotations()).doesNotContainKey("org.opencontainers.image.created");
    Path ext = repo.resolve("extensions/fixture");
    assertThat(blob(registry, ref, layers.get(0)))
        .isEqualTo(Files.readAllBytes(ext.resolve("spec.yaml")));
    assertThat(blob(registry, ref, layers.get(1)))
        .isEqualTo(Files.readAllBytes(ext.resolve("README.md")));
    byte[] tgz = blob(registry, ref, layers.get(2));
    System.out.printf(
        "[measure] %s: pull of manifest and 3 layers %d ms%n",
        anonymous, (System.nanoTime() - t0) / 1_000_000);
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
      assertThat(tar.getNextEntry().getName()).isEqualTo("plugin.wasm");
      assertThat(tar.readAllBytes()).isEqualTo(Files.readAllBytes(FixtureWasm.path()));
    }
  }

  /** ORAS's getBlob decodes the body as text, which breaks binary blobs; the stream does not. */
  private static byte[] blob(Registry registry, ContainerRef ref, Layer layer) throws Exception {
    try (var in = registry.fetchBlob(ref.withDigest(layer.getDigest()))) {
      return in.readAllBytes();
    }
  }

  @Test
  void verifyAcceptsWhatPushWroteAndStartsItWithAConfig() throws Exception {
    String image = anonymous.image("plugins/fixture:verify");
    assertThat(pushAnonymous("verify").exitCode()).isZero();
    Path config = tmp.resolve("fixture-config.json");
    Files.writeString(config, FixtureWorkspace.CONFIG);
    Cli v =
        Cli.run(
            "verify",
            image,
            "--plain-http",
            "--config",
            config.toString(),
            "--request",
            "GET http://example.com/api");
    assertThat(v.exitCode()).as(v.toString()).isZero();
    // The pulled module answers a request with the configuration given.
    assertThat(v.out()).contains("> GET http://example.com/api").contains("x-fixture: t1");
    assertThat(v.err())
        .contains("ok  layout: OCI image, plugin.wasm in the last layer")
        .contains("ok  proxy-wasm module: ABI 0.2.100")
        .contains("ok  spec.yaml: fixture 0.1.0")
        .contains("ok  started in the embedded host");
    assertThat(v.out()).contains("verified   " + image + " (compat layout, ABI 0.2.100)");

    Cli auth = pushAuthenticated("verify", TestRegistry.PASSWORD);
    assertThat(auth.exitCode()).isZero();
    Cli va =
        Cli.run(
            "verify",
            authenticated.image("plugins/fixture@" + digestOf(auth)),
            "--plain-http",
            "--username",
            TestRegistry.USER,
            "--password",
            TestRegistry.PASSWORD);
    assertThat(va.exitCode()).as(va.toString()).isZero();

    Files.writeString(config, "{\"tag\": 5}");
    Cli rejected = Cli.run("verify", image, "--plain-http", "--config", config.toString());
    assertThat(rejected.exitCode()).as(rejected.toString()).isEqualTo(6);
    assertThat(rejected.lastErrorLine()).contains("rejected the configuration");
  }

  @Test
  void verifyRefusesLayoutsTheFetcherRefuses() throws Exception {
    byte[] wasm = Files.readAllBytes(FixtureWasm.path());
    Blob tgz =
        Blob.of(MediaTypes.OCI_LAYER_TAR_GZIP, ImageLayout.pluginTarGz(wasm), "plugin.tar.gz");
    Blob readme = Blob.of(MediaTypes.WASM_DOC, "# x".getBytes(StandardCharsets.UTF_8), "README.md");
    Blob raw = Blob.of(MediaTypes.WASM_CONTENT_LAYER, wasm, "plugin.wasm");
    Blob runtimeConfig =
        Blob.of(
            "application/vnd.module.wasm.config.v1+json",
            "{}".getBytes(StandardCharsets.UTF_8),
            "config.json");

    // Higress issue #4528: the module is there, but not in the last layer.
    pushRaw("plugins/bad:4528", List.of(tgz, readme));
    Cli v = Cli.run("verify", anonymous.image("plugins/bad:4528"), "--plain-http");
    assertThat(v.exitCode()).as(v.toString()).isEqualTo(5);
    assertThat(v.lastErrorLine())
        .startsWith("error: " + anonymous.image("plugins/bad:4528") + " would be refused")
        .contains("last layer is application/vnd.module.wasm.doc.v1+markdown")
        .contains("#4528");
    assertThat(v.hasStackTrace()).isFalse();

    pushRaw("plugins/bad:single-raw", List.of(raw));
    Cli single = Cli.run("verify", anonymous.image("plugins/bad:single-raw"), "--plain-http");
    assertThat(single.exitCode()).isEqualTo(5);

    pushRaw(
        "plugins/bad:no-wasm",
        List.of(
            Blob.of(
                MediaTypes.OCI_LAYER_TAR_GZIP, ImageLayout.pluginTarGz(new byte[0]).clone(), "x")));
    // A tar whose only entry is plugin.wasm but empty: the module check refuses it.
    Cli empty = Cli.run("verify", anonymous.image("plugins/bad:no-wasm"), "--plain-http");
    assertThat(empty.exitCode()).isEqualTo(5);
    assertThat(empty.lastErrorLine()).contains("plugin.wasm is not a valid Wasm module");

    // The two-layer "oci" variant (Higress's own script) is accepted.
    pushRaw("plugins/ok:oci", List.of(runtimeConfig, raw));
    Cli oci = Cli.run("verify", anonymous.image("plugins/ok:oci"), "--plain-http");
    assertThat(oci.exitCode()).as(oci.toString()).isZero();
    assertThat(oci.out()).contains("(oci layout");
  }

  @Test
  void verifySaysWhichRuntimesLoadAModuleWithWasmExceptions() throws Exception {
    byte[] wasm = Files.readAllBytes(FixtureWasm.pathWithWasmExceptions());
    pushRaw(
        "plugins/ok:wasm-exceptions",
        List.of(
            Blob.of(
                MediaTypes.OCI_LAYER_TAR_GZIP, ImageLayout.pluginTarGz(wasm), "plugin.tar.gz")));
    Cli v = Cli.run("verify", anonymous.image("plugins/ok:wasm-exceptions"), "--plain-http");
    assertThat(v.exitCode()).as(v.toString()).isZero();
    assertThat(v.err() + v.out()).contains("uses Wasm exception handling").contains("V8");

    byte[] plain = Files.readAllBytes(FixtureWasm.path());
    pushRaw(
        "plugins/ok:portable",
        List.of(
            Blob.of(
                MediaTypes.OCI_LAYER_TAR_GZIP, ImageLayout.pluginTarGz(plain), "plugin.tar.gz")));
    Cli portable = Cli.run("verify", anonymous.image("plugins/ok:portable"), "--plain-http");
    assertThat(portable.exitCode()).as(portable.toString()).isZero();
    assertThat(portable.err() + portable.out()).doesNotContain("Wasm exception handling");
  }

  private static void pushRaw(String repoAndTag, List<Blob> layers) {
    Registry registry = Registry.builder().withInsecure(true).build();
    ContainerRef ref = ContainerRef.parse(anonymous.image(repoAndTag));
    Blob config = Blob.of(MediaTypes.UNKNOWN_CONFIG, "{}".getBytes(StandardCharsets.UTF_8), null);
    registry.pushBlob(ref, config.content());
    StringBuilder json = new StringBuilder();
    json.append("{\"schemaVersion\":2,\"mediaType\":\"")
        .append(MediaTypes.OCI_MANIFEST)
        .append("\",\"config\":")
        .append(config.descriptorJson())
        .append(",\"layers\":[");
    for (int i = 0; i < layers.size(); i++) {
      registry.pushBlob(ref, layers.get(i).content());
      json.append(i == 0 ? "" : ",").append(layers.get(i).descriptorJson());
    }
    json.append("]}");
    registry.pushManifest(ref, Manifest.fromJson(json.toString()));
  }

  @Test
  void wrongCredentialsAreOneClearLineAndLeaveNoTag() {
    Cli wrong = pushAuthenticated("wrong", "not-the-password");
    assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(4);
    assertThat(wrong.lastErrorLine())
        .isEqualTo(
            "error: registry "
                + authenticated.host()
                + " answered 401 Unauthorized while checking blob config: it refused the"
                + " credentials of user rustless (command line): check the user name and password");
    assertThat(wrong.hasStackTrace()).isFalse();

    Cli anonymousToAuth =
        cli(
            "push",
            "fixture",
            "--image",
            authenticated.image("plugins/fixture:anon"),
            "--plain-http");
    assertThat(anonymousToAuth.exitCode()).isEqualTo(4);
    assertThat(anonymousToAuth.lastErrorLine()).contains("401").contains("it needs credentials");

    Cli missing =
        Cli.run(
            "verify",
            authenticated.image("plugins/fixture:wrong"),
            "--plain-http",
            "--username",
            TestRegistry.USER,
            "--password",
            TestRegistry.PASSWORD);
    assertThat(missing.exitCode()).isEqualTo(4);
    assertThat(missing.lastErrorLine()).contains("was not found");
  }

  @Test
  void credentialsComeFromADockerConfig() throws Exception {
    Path dockerDir = Files.createDirectories(tmp.resolve("docker"));
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (TestRegistry.USER + ":" + TestRegistry.PASSWORD).getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        dockerDir.resolve("config.json"),
        "{\"auths\": {\"http://" + authenticated.host() + "\": {\"auth\": \"" + auth + "\"}}}");
    Cli push =
        cli(
            "push",
            "fixture",
            "--image",
            authenticated.image("plugins/fixture:docker-config"),
            "--plain-http",
            "--docker-config",
            dockerDir.toString());
    assertThat(push.exitCode()).as(push.toString()).isZero();
    assertThat(push.err()).contains("user rustless (" + dockerDir.resolve("config.json") + ")");

    Files.writeString(dockerDir.resolve("config.json"), "{\"auths\": [");
    Cli broken =
        cli(
            "push",
            "fixture",
            "--image",
            authenticated.image("plugins/fixture:docker-config"),
            "--plain-http",
            "--docker-config",
            dockerDir.toString());
    assertThat(broken.exitCode()).isEqualTo(2);
    assertThat(broken.lastErrorLine()).contains("is not valid JSON");
  }

  @Test
  void anUnreachableRegistryFailsPublishBeforeBuildingAndWritesNoTerminationLog() {
    int port = LocalService.freePort();
    Path log = tmp.resolve("termination-log");
    Cli publish =
        cli(
            "publish",
            "--extension",
            "fixture",
            "--image",
            "127.0.0.1:" + port + "/plugins/fixture:1",
            "--plain-http",
            "--termination-log",
            log.toString());
    assertThat(publish.exitCode()).as(publish.toString()).isEqualTo(4);
    assertThat(publish.lastErrorLine())
        .isEqualTo(
            "error: cannot reach registry 127.0.0.1:"
                + port
                + " (http://127.0.0.1:"
                + port
                + ") while checking access: connection refused");
    assertThat(publish.err()).doesNotContain("Building");
    assertThat(log).doesNotExist();

    Cli push =
        cli(
            "push",
            "fixture",
            "--image",
            "127.0.0.1:" + port + "/plugins/fixture:1",
            "--plain-http");
    assertThat(push.exitCode()).isEqualTo(4);
    assertThat(push.lastErrorLine())
        .contains("cannot reach registry")
        .contains("connection refused");
    assertThat(push.hasStackTrace()).isFalse();
  }

  @Test
  void httpsAgainstAPlainHttpRegistrySuggestsPlainHttp() {
    Cli push = cli("push", "fixture", "--image", anonymous.image("plugins/fixture:tls"));
    assertThat(push.exitCode()).as(push.toString()).isEqualTo(4);
    assertThat(push.lastErrorLine()).contains("add --plain-http");
  }
}

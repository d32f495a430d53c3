package io.rustless.cli.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.higress.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class ImageLayoutTest {
  private static final byte[] WASM =
      "\0asm\1\0\0\0 pretend module".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SPEC = "apiVersion: 1.0.0\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] README = "# x\n".getBytes(StandardCharsets.UTF_8);

  private static ImageLayout full() {
    return ImageLayout.builder().wasm(WASM).spec(SPEC).readme(README).build();
  }

  @Test
  void theSameInputGivesTheSameBytesAndDigest() {
    ImageLayout a = full();
    ImageLayout b = full();
    assertThat(a.manifest()).isEqualTo(b.manifest());
    assertThat(a.manifestDigest()).isEqualTo(b.manifestDigest()).startsWith("sha256:");
    assertThat(a.layers().get(2).content()).isEqualTo(b.layers().get(2).content());
    assertThat(ImageLayout.builder().wasm(new byte[] {1}).build().manifestDigest())
        .isNotEqualTo(a.manifestDigest());
  }

  @Test
  void layersAreSpecThenReadmeThenThePluginTarballLast() {
    List<Blob> layers = full().layers();
    assertThat(layers)
        .extracting(Blob::mediaType)
        .containsExactly(
            "application/vnd.module.wasm.spec.v1+yaml",
            "application/vnd.module.wasm.doc.v1+markdown",
            "application/vnd.oci.image.layer.v1.tar+gzip");
    assertThat(layers)
        .extracting(Blob::title)
        .containsExactly("spec.yaml", "README.md", "plugin.tar.gz");
    assertThat(ImageLayout.builder().wasm(WASM).build().layers())
        .extracting(Blob::mediaType)
        .containsExactly("application/vnd.oci.image.layer.v1.tar+gzip");
  }

  @Test
  void manifestIsAnOciImageManifestWithoutTimestamp() {
    ImageLayout l = full();
    JsonObject m = Json.parse(l.manifestJson()).asObject();
    assertThat(m.get("schemaVersion").orElseThrow().asNumber().intValue()).isEqualTo(2);
    assertThat(m.get("mediaType").orElseThrow().asString())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    JsonObject config = m.get("config").orElseThrow().asObject();
    assertThat(config.get("mediaType").orElseThrow().asString())
        .isEqualTo("application/vnd.unknown.config.v1+json");
    assertThat(config.get("digest").orElseThrow().asString())
        .isEqualTo(Blob.sha256Digest("{}".getBytes(StandardCharsets.US_ASCII)));
    List<JsonValue> layers = m.get("layers").orElseThrow().asArray().values();
    assertThat(layers).hasSize(3);
    JsonObject last = layers.get(2).asObject();
    assertThat(last.get("digest").orElseThrow().asString()).isEqualTo(l.layers().get(2).digest());
    assertThat(last.get("size").orElseThrow().asNumber().longValue())
        .isEqualTo(l.layers().get(2).size());
    assertThat(l.manifestJson()).doesNotContain("org.opencontainers.image.created");
    assertThat(l.manifestDigest()).isEqualTo(Blob.sha256Digest(l.manifest()));
  }

  @Test
  void tarEntryAndGzipHeaderCarryNothingMachineOrTimeDependent() throws Exception {
    byte[] tgz = full().layers().get(2).content();
    // gzip header: magic, CM=8, FLG=0 (no name), MTIME=0, XFL, OS=3 (Unix)
    assertThat(tgz[0] & 0xff).isEqualTo(0x1f);
    assertThat(tgz[1] & 0xff).isEqualTo(0x8b);
    assertThat(tgz[3]).isZero();
    assertThat(new byte[] {tgz[4], tgz[5], tgz[6], tgz[7]}).containsOnly(0);
    assertThat(tgz[9]).isEqualTo((byte) 3);
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
      TarArchiveEntry e = tar.getNextEntry();
      assertThat(e.getName()).isEqualTo("plugin.wasm");
      assertThat(e.getModTime().getTime()).isZero();
      assertThat(e.getLongUserId()).isZero();
      assertThat(e.getLongGroupId()).isZero();
      assertThat(e.getUserName()).isEmpty();
      assertThat(e.getGroupName()).isEmpty();
      assertThat(e.getMode() & 07777).isEqualTo(0644);
      assertThat(tar.readAllBytes()).isEqualTo(WASM);
      assertThat(tar.getNextEntry()).isNull();
    }
    assertThat(ImageVerifier.extractWasm(tgz, ImageReference.parse("r.io/x:1"))).isEqualTo(WASM);
  }

  @Test
  void resultJsonIsTheTerminationLogContract() {
    ImageLayout l = full();
    PublishResult r =
        new PublishResult(
            ImageReference.parse("127.0.0.1:5000/plugins/x:1"),
            l.manifestDigest(),
            42,
            "ff",
            3,
            10);
    assertThat(r.toJson())
        .isEqualTo(
            "{\"digest\":\""
                + l.manifestDigest()
                + "\",\"reference\":\"127.0.0.1:5000/plugins/x@"
                + l.manifestDigest()
                + "\",\"size\":42}");
    assertThat(r.toJson())
        .matches(
            "\\{\"digest\":\"sha256:[0-9a-f]{64}\",\"reference\":\"[^\"]+@sha256:[0-9a-f]{64}\",\"size\":\\d+}");
    assertThat(r.wasmPluginUrl()).isEqualTo("oci://127.0.0.1:5000/plugins/x@" + l.manifestDigest());
  }
}

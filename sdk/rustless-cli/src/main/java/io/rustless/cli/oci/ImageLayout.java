package io.rustless.cli.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * The image Higress loads a plugin from, built in memory and byte-for-byte reproducible: the same
 * {@code plugin.wasm}, {@code spec.yaml} and {@code README.md} always give the same manifest digest
 * (for the same JDK's zlib).
 *
 * <p>Layers, in order: {@code spec.yaml} ({@value MediaTypes#WASM_SPEC}) and {@code README.md}
 * ({@value MediaTypes#WASM_DOC}) when present, and <b>last</b> {@code plugin.tar.gz} ({@value
 * MediaTypes#OCI_LAYER_TAR_GZIP}) holding {@code plugin.wasm}: the fetcher reads only the last
 * layer, and a layout where it is anything else broke 43 plugins (Higress issue #4528). The config
 * is ORAS 1.0's {@code {}} of type {@value MediaTypes#UNKNOWN_CONFIG}, as on Higress's own images.
 *
 * <p>What makes it reproducible: no {@code org.opencontainers.image.created} annotation (ORAS would
 * add the current time); a tar entry with mtime 0, uid/gid 0, no user or group names and mode 0644;
 * a gzip header with mtime 0, no file name and a fixed OS byte; JSON written by hand in a fixed
 * order.
 */
public final class ImageLayout {
  static final String WASM_FILE = "plugin.wasm";
  static final String TAR_FILE = "plugin.tar.gz";
  private static final int GZIP_OS_UNIX = 3;

  private final Blob config;
  private final List<Blob> layers;
  private final byte[] manifest;
  private final String manifestDigest;
  private final long wasmSize;
  private final String wasmSha256;

  private ImageLayout(Builder b) {
    Objects.requireNonNull(b.wasm, "plugin.wasm");
    this.config = Blob.of(MediaTypes.UNKNOWN_CONFIG, Blob.utf8("{}"), null);
    List<Blob> l = new ArrayList<>();
    if (b.spec != null) {
      l.add(Blob.of(MediaTypes.WASM_SPEC, b.spec, "spec.yaml"));
    }
    if (b.readme != null) {
      l.add(Blob.of(MediaTypes.WASM_DOC, b.readme, "README.md"));
    }
    l.add(Blob.of(MediaTypes.OCI_LAYER_TAR_GZIP, pluginTarGz(b.wasm), TAR_FILE));
    this.layers = List.copyOf(l);
    this.wasmSize = b.wasm.length;
    this.wasmSha256 = Blob.sha256Hex(b.wasm);
    this.manifest = manifestJson(config, layers).getBytes(StandardCharsets.US_ASCII);
    this.manifestDigest = Blob.sha256Digest(manifest);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The layout for a built extension: its module, and its spec and README if it has them. */
  public static ImageLayout of(Path wasm, Optional<Path> spec, Optional<Path> readme) {
    Builder b = builder().wasm(read(wasm));
    spec.ifPresent(p -> b.spec(read(p)));
    readme.ifPresent(p -> b.readme(read(p)));
    return b.build();
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  public Blob config() {
    return config;
  }

  /** The layers in manifest order; the last holds plugin.wasm. */
  public List<Blob> layers() {
    return layers;
  }

  /** Config and layers: everything to upload before the manifest. */
  public List<Blob> blobs() {
    List<Blob> all = new ArrayList<>();
    all.add(config);
    all.addAll(layers);
    return all;
  }

  /** The manifest as pushed (ASCII JSON). */
  public byte[] manifest() {
    return manifest.clone();
  }

  public String manifestJson() {
    return new String(manifest, StandardCharsets.US_ASCII);
  }

  /** {@code sha256:…} of the manifest: the digest the registry will report. */
  public String manifestDigest() {
    return manifestDigest;
  }

  public long wasmSize() {
    return wasmSize;
  }

  /** Hex sha256 of plugin.wasm (what a WasmPlugin's {@code sha256} field holds for a module). */
  public String wasmSha256() {
    return wasmSha256;
  }

  private static String manifestJson(Blob config, List<Blob> layers) {
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(MediaTypes.VARIANT_ANNOTATION, "compat");
    StringBuilder sb = new StringBuilder();
    sb.append("{\"schemaVersion\":2,\"mediaType\":")
        .append(JsonText.quote(MediaTypes.OCI_MANIFEST))
        .append(",\"config\":")
        .append(config.descriptorJson())
        .append(",\"layers\":[");
    for (int i = 0; i < layers.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(layers.get(i).descriptorJson());
    }
    sb.append("],\"annotations\":{");
    boolean first = true;
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      sb.append(first ? "" : ",")
          .append(JsonText.quote(e.getKey()))
          .append(':')
          .append(JsonText.quote(e.getValue()));
      first = false;
    }
    return sb.append("}}").toString();
  }

  /** {@code plugin.wasm} in a tar in a gzip, with every variable field fixed. */
  static byte[] pluginTarGz(byte[] wasm) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GzipParameters gzip = new GzipParameters();
    gzip.setCompressionLevel(Deflater.BEST_COMPRESSION);
    gzip.setModificationTime(0);
    gzip.setOperatingSystem(GZIP_OS_UNIX);
    try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out, gzip);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      TarArchiveEntry entry = new TarArchiveEntry(WASM_FILE);
      entry.setSize(wasm.length);
      entry.setMode(0100644);
      entry.setLastModifiedTime(FileTime.fromMillis(0));
      entry.setUserId(0);
      entry.setGroupId(0);
      // The default user name is the JVM's user.name, which differs between machines.
      entry.setUserName("");
      entry.setGroupName("");
      tar.putArchiveEntry(entry);
      tar.write(wasm);
      tar.closeArchiveEntry();
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plugin.tar.gz in memory", e);
    }
    return out.toByteArray();
  }

  /** Configures an {@link ImageLayout}. */
  public static final class Builder {
    private byte[] wasm;
    private byte[] spec;
    private byte[] readme;

    private Builder() {}

    public Builder wasm(byte[] module) {
      this.wasm = module.clone();
      return this;
    }

    public Builder spec(byte[] specYaml) {
      this.spec = specYaml.clone();
      return this;
    }

    public Builder readme(byte[] readmeMarkdown) {
      this.readme = readmeMarkdown.clone();
      return this;
    }

    public ImageLayout build() {
      return new ImageLayout(this);
    }
  }
}

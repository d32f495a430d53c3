package io.rustless.cli.oci;

import io.rustless.build.wasm.AbiVersion;
import io.rustless.build.wasm.ModuleCheck;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonException;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.higress.json.JsonValue;
import io.rustless.wasm.WasmFormatException;
import io.rustless.wasm.WasmModuleBinary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import land.oras.ContainerRef;
import land.oras.Descriptor;
import land.oras.Registry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Pulls an image and checks it the way Higress's (Istio's) image fetcher reads it, then checks the
 * module inside as a proxy would load it. The fetcher's rules ({@code pkg/wasm/imagefetcher.go}):
 *
 * <ol>
 *   <li>a Docker manifest: the last layer must be a Docker tar.gzip with a {@code plugin.wasm};
 *   <li>an OCI manifest whose last layer is {@value MediaTypes#OCI_LAYER_TAR_GZIP}: that layer must
 *       hold a {@code plugin.wasm} ("compat");
 *   <li>else exactly two layers, one of them {@value MediaTypes#WASM_CONTENT_LAYER} with the raw
 *       module ("oci").
 * </ol>
 *
 * Anything else is refused when the gateway pulls it, which is what Higress issue #4528 was: 43
 * plugins pushed with the module in a non-last layer.
 */
public final class ImageVerifier {
  private final RegistryAccess access;
  private final Consumer<String> progress;

  public ImageVerifier(RegistryAccess access, Consumer<String> progress) {
    this.access = Objects.requireNonNull(access);
    this.progress = Objects.requireNonNull(progress);
  }

  /** Checks {@code image}; throws {@link InvalidImageException} with the reason if refused. */
  public VerifyReport verify(ImageReference image) {
    RegistryAccess.Session session = access.open(image);
    Registry registry = session.registry();
    progress.accept("registry " + image.registry() + " (" + session.auth() + ")");
    ContainerRef ref = ContainerRef.parse(image.toString());

    Fetched top = fetchManifest(registry, ref, image, session, image.reference());
    Fetched manifest = top;
    if (isIndex(top.mediaType)) {
      String chosen = choosePlatform(top.json, image);
      progress.accept("ok  index " + top.digest + ": using manifest " + chosen + " (linux/amd64)");
      manifest = fetchManifest(registry, ref, image, session, chosen);
    }
    if (image.digest() != null && !top.digest.equals(image.digest())) {
      throw new InvalidImageException(
          image + ": the registry served content hashing to " + top.digest);
    }
    JsonObject m = manifest.json;
    List<JsonObject> layers = layers(m, image);
    List<String> types = new ArrayList<>();
    for (JsonObject l : layers) {
      types.add(string(l, "mediaType").orElse("(none)"));
    }
    progress.accept(
        "ok  manifest "
            + manifest.digest
            + " ("
            + manifest.mediaType
            + ", "
            + layers.size()
            + (layers.size() == 1 ? " layer" : " layers")
            + ": "
            + String.join(", ", types)
            + ")");

    JsonObject last = layers.get(layers.size() - 1);
    String lastType = string(last, "mediaType").orElse("");
    String variant;
    JsonObject wasmLayer;
    boolean docker = MediaTypes.DOCKER_MANIFEST.equals(manifest.mediaType);
    if (docker) {
      if (!lastType.equals(MediaTypes.DOCKER_LAYER_TAR_GZIP)) {
        throw refused(
            image, "its last layer is " + lastType + ", not " + MediaTypes.DOCKER_LAYER_TAR_GZIP);
      }
      variant = "docker";
      wasmLayer = last;
    } else if (lastType.equals(MediaTypes.OCI_LAYER_TAR_GZIP)) {
      variant = "compat";
      wasmLayer = last;
    } else {
      JsonObject raw = null;
      for (JsonObject l : layers) {
        if (MediaTypes.WASM_CONTENT_LAYER.equals(string(l, "mediaType").orElse(""))) {
          raw = l;
        }
      }
      if (raw == null || layers.size() != 2) {
        throw refused(
            image,
            "its last layer is "
                + lastType
                + "; the fetcher needs the last layer to be "
                + MediaTypes.OCI_LAYER_TAR_GZIP
                + " holding plugin.wasm, or exactly two layers one of which is "
                + MediaTypes.WASM_CONTENT_LAYER
                + " (this is how Higress issue #4528 broke 43 plugins)");
      }
      variant = "oci";
      wasmLayer = raw;
    }
    progress.accept("ok  layout: " + describe(variant));

    byte[] blob = fetchBlob(registry, ref, image, session, wasmLayer);
    byte[] wasm = variant.equals("oci") ? blob : extractWasm(blob, image);
    String wasmSha256 = Blob.sha256Hex(wasm);
    progress.accept(
        String.format(
            "ok  plugin.wasm: %,d bytes, sha256 %s (blob digest and size match the manifest)",
            wasm.length, wasmSha256));

    WasmModuleBinary module;
    try {
      module = WasmModuleBinary.parse(wasm);
    } catch (WasmFormatException e) {
      throw new InvalidImageException(
          image + ": plugin.wasm is not a valid Wasm module: " + e.getMessage(), e);
    }
    ModuleCheck check = ModuleCheck.of(module);
    if (!check.ok()) {
      throw new InvalidImageException(
          image
              + ": plugin.wasm would not load in a proxy: it "
              + String.join("; it ", check.errors()));
    }
    String abi = abiVersion(module);
    progress.accept(
        "ok  proxy-wasm module: ABI "
            + abi
            + ", "
            + module.imports().size()
            + " imports, "
            + module.exports().size()
            + " exports");
    List<String> warnings = new ArrayList<>(check.warnings());
    checkDocs(registry, ref, image, session, layers, warnings);
    for (String w : warnings) {
      progress.accept("warn " + w);
    }
    return new VerifyReport(
        image, top.digest, variant, types, wasm.length, wasmSha256, abi, warnings, wasm);
  }

  private static String describe(String variant) {
    return switch (variant) {
      case "docker" -> "Docker image, plugin.wasm in the last layer (tar.gzip)";
      case "compat" ->
          "OCI image, plugin.wasm in the last layer (" + MediaTypes.OCI_LAYER_TAR_GZIP + ")";
      default -> "OCI two-layer image with a raw " + MediaTypes.WASM_CONTENT_LAYER + " layer";
    };
  }

  private record Fetched(String mediaType, String digest, JsonObject json) {}

  private Fetched fetchManifest(
      Registry registry,
      ContainerRef ref,
      ImageReference image,
      RegistryAccess.Session session,
      String reference) {
    ContainerRef target =
        reference.startsWith("sha256:") ? ref.withDigest(reference) : ref.withTag(reference);
    Descriptor d;
    try {
      d = registry.getDescriptor(target);
    } catch (RuntimeException e) {
      throw RegistryErrors.translate(e, image, access, session.auth(), "fetching the manifest");
    }
    String text = d.getJson();
    if (text == null) {
      throw new InvalidImageException(image + ": the registry sent an empty manifest");
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String digest = Blob.sha256Digest(bytes);
    if (d.getDigest() != null && !d.getDigest().equals(digest)) {
      throw new InvalidImageException(
          image
              + ": the registry says the manifest is "
              + d.getDigest()
              + " but it hashes to "
              + digest);
    }
    JsonValue json;
    try {
      json = Json.parse(bytes);
    } catch (JsonException e) {
      throw new InvalidImageException(
          image + ": the manifest is not valid JSON: " + e.getMessage(), e);
    }
    if (!json.isObject()) {
      throw new InvalidImageException(image + ": the manifest is not a JSON object");
    }
    String mediaType = d.getMediaType();
    if (mediaType == null || mediaType.isBlank()) {
      mediaType = string(json.asObject(), "mediaType").orElse(MediaTypes.OCI_MANIFEST);
    }
    int semicolon = mediaType.indexOf(';');
    if (semicolon >= 0) {
      mediaType = mediaType.substring(0, semicolon).strip();
    }
    return new Fetched(mediaType, digest, json.asObject());
  }

  private static boolean isIndex(String mediaType) {
    return MediaTypes.OCI_INDEX.equals(mediaType)
        || MediaTypes.DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  /**
   * The manifest go-containerregistry's default platform (linux/amd64) picks, else the only one.
   */
  private static String choosePlatform(JsonObject index, ImageReference image) {
    List<JsonObject> manifests = objects(index, "manifests");
    for (JsonObject m : manifests) {
      Optional<JsonObject> p =
          m.get("platform").filter(JsonValue::isObject).map(JsonValue::asObject);
      if (p.isPresent()
          && "linux".equals(string(p.get(), "os").orElse(""))
          && "amd64".equals(string(p.get(), "architecture").orElse(""))) {
        return string(m, "digest")
            .orElseThrow(() -> new InvalidImageException(image + ": an index entry has no digest"));
      }
    }
    if (manifests.size() == 1) {
      return string(manifests.get(0), "digest")
          .orElseThrow(() -> new InvalidImageException(image + ": an index entry has no digest"));
    }
    throw refused(image, "it is an index with no linux/amd64 manifest");
  }

  private static List<JsonObject> layers(JsonObject manifest, ImageReference image) {
    List<JsonObject> layers = objects(manifest, "layers");
    if (layers.isEmpty()) {
      throw refused(image, "it has no layers");
    }
    for (JsonObject l : layers) {
      if (string(l, "digest").isEmpty() || l.get("size").filter(JsonValue::isNumber).isEmpty()) {
        throw new InvalidImageException(image + ": a layer descriptor lacks its digest or size");
      }
    }
    return layers;
  }

  private byte[] fetchBlob(
      Registry registry,
      ContainerRef ref,
      ImageReference image,
      RegistryAccess.Session session,
      JsonObject layer) {
    String digest = string(layer, "digest").orElseThrow();
    long size = layer.get("size").orElseThrow().asNumber().longValue();
    if (size > MediaTypes.MAX_WASM_BYTES) {
      throw refused(
          image, "its plugin layer is " + size + " bytes, over the fetcher's 256 MiB limit");
    }
    byte[] blob;
    try (InputStream in = registry.fetchBlob(ref.withDigest(digest))) {
      blob = BoundedRead.readAtMost(in, MediaTypes.MAX_WASM_BYTES + 1);
    } catch (IOException e) {
      throw RegistryErrors.translate(
          new java.io.UncheckedIOException(e),
          image,
          access,
          session.auth(),
          "downloading " + digest);
    } catch (RuntimeException e) {
      throw RegistryErrors.translate(e, image, access, session.auth(), "downloading " + digest);
    }
    if (blob.length != size) {
      throw new InvalidImageException(
          image + ": layer " + digest + " is " + blob.length + " bytes, the manifest says " + size);
    }
    String actual = Blob.sha256Digest(blob);
    if (!actual.equals(digest)) {
      throw new InvalidImageException(image + ": layer " + digest + " hashes to " + actual);
    }
    return blob;
  }

  /**
   * The first regular file named {@code plugin.wasm} (any directory) in a tar.gz, as the fetcher.
   */
  static byte[] extractWasm(byte[] tarGz, ImageReference image) {
    List<String> seen = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tarGz)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName();
        if (seen.size() < 10) {
          seen.add(name);
        }
        String base = name.substring(name.lastIndexOf('/') + 1);
        if (e.isFile() && base.equals("plugin.wasm")) {
          return BoundedRead.readAtMost(tar, MediaTypes.MAX_WASM_BYTES);
        }
      }
    } catch (IOException ex) {
      throw refused(image, "its last layer is not a readable tar.gz (" + ex.getMessage() + ")");
    }
    throw refused(
        image,
        "its last layer holds no plugin.wasm (entries: "
            + (seen.isEmpty() ? "none" : String.join(", ", seen))
            + ")");
  }

  private void checkDocs(
      Registry registry,
      ContainerRef ref,
      ImageReference image,
      RegistryAccess.Session session,
      List<JsonObject> layers,
      List<String> warnings) {
    for (JsonObject l : layers) {
      if (!MediaTypes.WASM_SPEC.equals(string(l, "mediaType").orElse(""))) {
        continue;
      }
      long size = l.get("size").orElseThrow().asNumber().longValue();
      if (size > 1 << 20) {
        warnings.add("spec.yaml layer is " + size + " bytes; the console expects a small file");
        continue;
      }
      byte[] spec = fetchBlob(registry, ref, image, session, l);
      try {
        Object doc =
            new org.yaml.snakeyaml.Yaml(
                    new org.yaml.snakeyaml.constructor.SafeConstructor(
                        new org.yaml.snakeyaml.LoaderOptions()))
                .load(new String(spec, StandardCharsets.UTF_8));
        if (doc instanceof java.util.Map<?, ?> map
            && map.get("info") instanceof java.util.Map<?, ?> info) {
          progress.accept("ok  spec.yaml: " + info.get("name") + " " + info.get("version"));
        } else {
          warnings.add("spec.yaml has no info section (the Higress console needs one)");
        }
      } catch (RuntimeException e) {
        warnings.add(
            "spec.yaml is not valid YAML: "
                + RegistryErrors.firstLine(String.valueOf(e.getMessage())));
      }
    }
  }

  private static String abiVersion(WasmModuleBinary module) {
    for (WasmModuleBinary.Export e : module.exports()) {
      for (AbiVersion v : AbiVersion.values()) {
        if (v.marker().equals(e.name())) {
          return v.version();
        }
      }
    }
    return "unknown";
  }

  private static InvalidImageException refused(ImageReference image, String why) {
    return new InvalidImageException(
        image + " would be refused by Higress's image fetcher: " + why);
  }

  private static Optional<String> string(JsonObject o, String key) {
    return o.get(key).filter(JsonValue::isString).map(JsonValue::asString);
  }

  private static List<JsonObject> objects(JsonObject o, String key) {
    List<JsonObject> out = new ArrayList<>();
    o.get(key)
        .filter(JsonValue::isArray)
        .ifPresent(
            a -> {
              for (JsonValue v : a.asArray().values()) {
                if (v.isObject()) {
                  out.add(v.asObject());
                }
              }
            });
    return out;
  }
}

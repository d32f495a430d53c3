package io.rustless.cli.registry;

import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonException;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.higress.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A manifest pushed to the registry, checked as far as the registry must: valid JSON of a known
 * manifest type, the media type of the body agreeing with the request's Content-Type, and every
 * descriptor well-formed, so that what it references can be checked to exist.
 *
 * @param mediaType the manifest's media type (what GET answers as Content-Type)
 * @param blobs the config and layers of an image manifest
 * @param manifests the manifests an index lists
 * @param subject the manifest this one refers to (OCI 1.1 referrers), if any
 * @param artifactType the artifact type shown in referrers lists
 * @param annotations the manifest's annotations
 */
record ManifestContent(
    String mediaType,
    List<Descriptor> blobs,
    List<Descriptor> manifests,
    Optional<Descriptor> subject,
    Optional<String> artifactType,
    Map<String, String> annotations) {

  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final Set<String> SUPPORTED =
      Set.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST);

  /** A content descriptor: what a manifest says about one blob or manifest. */
  record Descriptor(String mediaType, Digest digest, long size) {}

  /** The largest manifest accepted (the spec asks registries to accept at least 4 MiB). */
  static final int MAX_SIZE = 4 * 1024 * 1024;

  static ManifestContent parse(byte[] body, String contentType) {
    JsonObject json;
    try {
      JsonValue v = Json.parse(body);
      if (!v.isObject()) {
        throw invalid("the manifest is a JSON " + v.typeName() + ", not an object");
      }
      json = v.asObject();
    } catch (JsonException e) {
      throw invalid("the manifest is not valid JSON: " + e.getMessage());
    }
    String declared =
        json.get("mediaType").filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
    String type = baseType(contentType);
    if (type != null && declared != null && !type.equals(declared)) {
      throw invalid(
          "the Content-Type " + type + " does not match the manifest's mediaType " + declared);
    }
    if (type == null
        || type.equals("application/json")
        || type.equals("application/octet-stream")) {
      type = declared != null ? declared : json.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
    }
    if (!SUPPORTED.contains(type)) {
      throw invalid(
          "unsupported manifest media type "
              + type
              + " (supported: "
              + String.join(", ", List.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST))
              + ")");
    }
    long schemaVersion =
        json.get("schemaVersion")
            .filter(JsonValue::isNumber)
            .map(n -> n.asNumber().isIntegral() ? n.asNumber().longValue() : -1L)
            .orElse(-1L);
    if (schemaVersion != 2) {
      throw invalid("schemaVersion must be 2");
    }
    List<Descriptor> blobs = new ArrayList<>();
    List<Descriptor> manifests = new ArrayList<>();
    Optional<String> artifactType =
        json.get("artifactType").filter(JsonValue::isString).map(JsonValue::asString);
    if (type.equals(OCI_INDEX) || type.equals(DOCKER_LIST)) {
      JsonValue list = json.get("manifests").orElseThrow(() -> invalid("an index needs manifests"));
      if (!list.isArray()) {
        throw invalid("manifests must be an array");
      }
      int i = 0;
      for (JsonValue m : list.asArray().values()) {
        manifests.add(descriptor(m, "manifests[" + i++ + "]"));
      }
    } else {
      Descriptor config =
          descriptor(
              json.get("config").orElseThrow(() -> invalid("a manifest needs a config")), "config");
      blobs.add(config);
      JsonValue layers = json.get("layers").orElseThrow(() -> invalid("a manifest needs layers"));
      if (!layers.isArray()) {
        throw invalid("layers must be an array");
      }
      int i = 0;
      for (JsonValue l : layers.asArray().values()) {
        JsonObject o = l.isObject() ? l.asObject() : null;
        Descriptor d = descriptor(l, "layers[" + i++ + "]");
        // Foreign layers (urls) live elsewhere; everything else must be in the repository.
        if (o == null || !o.has("urls")) {
          blobs.add(d);
        }
      }
      if (artifactType.isEmpty()) {
        artifactType = Optional.of(config.mediaType());
      }
    }
    Optional<Descriptor> subject = Optional.empty();
    if (json.has("subject")) {
      subject = Optional.of(descriptor(json.get("subject").orElseThrow(), "subject"));
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    json.get("annotations")
        .filter(JsonValue::isObject)
        .ifPresent(
            a ->
                a.asObject()
                    .members()
                    .forEach(
                        (k, v) -> {
                          if (v.isString()) {
                            annotations.put(k, v.asString());
                          }
                        }));
    return new ManifestContent(type, blobs, manifests, subject, artifactType, annotations);
  }

  private static Descriptor descriptor(JsonValue v, String where) {
    if (!v.isObject()) {
      throw invalid(where + " must be an object");
    }
    JsonObject o = v.asObject();
    String mediaType =
        o.get("mediaType")
            .filter(JsonValue::isString)
            .map(JsonValue::asString)
            .orElseThrow(() -> invalid(where + ".mediaType must be a string"));
    String digestText =
        o.get("digest")
            .filter(JsonValue::isString)
            .map(JsonValue::asString)
            .orElseThrow(() -> invalid(where + ".digest must be a string"));
    Digest digest =
        Digest.parse(digestText)
            .orElseThrow(
                () ->
                    new RegistryError(
                        ErrorCode.DIGEST_INVALID,
                        where + ".digest " + digestText + " is not a sha256 or sha512 digest",
                        Map.of("digest", digestText)));
    long size =
        o.get("size")
            .filter(JsonValue::isNumber)
            .filter(n -> n.asNumber().isIntegral())
            .map(n -> n.asNumber().longValue())
            .filter(n -> n >= 0)
            .orElseThrow(() -> invalid(where + ".size must be a non-negative integer"));
    return new Descriptor(mediaType, digest, size);
  }

  /** The media type without parameters, lower-cased; null when absent. */
  static String baseType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  private static RegistryError invalid(String message) {
    return new RegistryError(ErrorCode.MANIFEST_INVALID, message);
  }
}

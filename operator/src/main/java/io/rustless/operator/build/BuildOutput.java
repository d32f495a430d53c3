package io.rustless.operator.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a successful build writes to its termination log: one JSON line {@code
 * {"digest":"sha256:…","reference":"<registry>/<repo>@sha256:…","size":…}}.
 *
 * @param digest manifest digest, {@code sha256:<64 hex>}
 * @param repository {@code <registry>/<repo>}: the reference without its digest
 * @param size bytes of plugin.wasm
 */
public record BuildOutput(String digest, String repository, long size) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  /** Parses the termination message; empty if it is not the contract's JSON. */
  public static Optional<BuildOutput> parse(String terminationMessage) {
    if (terminationMessage == null || terminationMessage.isBlank()) {
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = JSON.readTree(terminationMessage.strip());
    } catch (IOException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    String digest = node.path("digest").asText("");
    String reference = node.path("reference").asText("");
    if (!DIGEST.matcher(digest).matches() || !reference.endsWith("@" + digest)) {
      return Optional.empty();
    }
    String repository = reference.substring(0, reference.length() - digest.length() - 1);
    if (repository.isEmpty() || repository.contains("@")) {
      return Optional.empty();
    }
    return Optional.of(new BuildOutput(digest, repository, node.path("size").asLong(-1)));
  }

  /** {@code <registry>/<repo>@sha256:<hex>}. */
  public String image() {
    return repository + "@" + digest;
  }

  /** The WasmPlugin url: {@code oci://<registry>/<repo>@sha256:<hex>}. */
  public static String wasmPluginUrl(String image) {
    return "oci://" + image;
  }
}

package io.rustless.cli.oci;

import io.rustless.cli.UsageException;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonException;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.higress.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A docker {@code config.json} (also the {@code .dockerconfigjson} of a Kubernetes secret). Read
 * here rather than by ORAS's store, which splits {@code auth} at every colon (so a password with a
 * colon fails) and matches only keys that are a bare host ({@code https://ghcr.io} is common).
 */
public final class DockerConfig {
  private final String file;
  private final JsonObject auths;
  private final boolean helpers;

  private DockerConfig(String file, JsonObject auths, boolean helpers) {
    this.file = file;
    this.auths = auths;
    this.helpers = helpers;
  }

  /** Reads {@code file}; a usage error if it is not a docker config. */
  public static DockerConfig read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UsageException("cannot read docker config " + file + ": " + e.getMessage(), e);
    }
    return parse(bytes, file.toString());
  }

  /**
   * Parses a docker config held elsewhere (a Kubernetes secret's {@code .dockerconfigjson}); {@code
   * source} names it in messages.
   */
  public static DockerConfig parse(byte[] json, String source) {
    JsonValue root;
    try {
      root = Json.parse(new String(json, StandardCharsets.UTF_8));
    } catch (JsonException e) {
      throw new UsageException(
          "docker config " + source + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!root.isObject()) {
      throw new UsageException("docker config " + source + " is not a JSON object");
    }
    JsonObject o = root.asObject();
    JsonObject auths =
        o.get("auths").filter(JsonValue::isObject).map(JsonValue::asObject).orElse(null);
    if (auths == null) {
      auths = JsonObject.builder().build();
    }
    boolean helpers = o.has("credsStore") || o.has("credHelpers");
    return new DockerConfig(source, auths, helpers);
  }

  /**
   * Where the config is: {@code $DOCKER_CONFIG/config.json} if DOCKER_CONFIG is set, else {@code
   * ~/.docker/config.json}; empty if that file does not exist.
   */
  public static Optional<Path> defaultLocation(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    Path p =
        dir != null && !dir.isBlank()
            ? Path.of(dir).resolve("config.json")
            : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** Where it was read from (a path, or e.g. {@code secret higress-system/pull}). */
  public String source() {
    return file;
  }

  /** True if the file defers to credential helpers (credsStore, credHelpers). */
  public boolean usesHelpers() {
    return helpers;
  }

  /** The credentials for {@code registry} (host[:port]), if the file has them inline. */
  public Optional<Credentials> credentialsFor(String registry) {
    String want = normalise(registry);
    for (String key : auths.keys()) {
      if (!normalise(key).equals(want)) {
        continue;
      }
      JsonValue v = auths.get(key).orElseThrow();
      if (!v.isObject()) {
        throw new UsageException(file + ": auths." + key + " is not an object");
      }
      return Optional.of(decode(key, v.asObject()));
    }
    return Optional.empty();
  }

  private Credentials decode(String key, JsonObject entry) {
    Optional<String> auth = string(entry, "auth");
    if (auth.isPresent() && !auth.get().isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.get()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new UsageException(file + ": auths." + key + ".auth is not base64", e);
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw new UsageException(file + ": auths." + key + ".auth is not user:password");
      }
      return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
    Optional<String> user = string(entry, "username");
    Optional<String> password = string(entry, "password");
    if (user.isPresent() && password.isPresent()) {
      return new Credentials(user.get(), password.get());
    }
    throw new UsageException(
        file
            + ": auths."
            + key
            + " has neither auth nor username/password (identity tokens are"
            + " not supported)");
  }

  private static Optional<String> string(JsonObject o, String key) {
    return o.get(key).filter(JsonValue::isString).map(JsonValue::asString);
  }

  /**
   * {@code https://Index.Docker.io/v1/} → {@code docker.io}; {@code host:port/} → {@code
   * host:port}.
   */
  static String normalise(String key) {
    String k = key.strip().toLowerCase(Locale.ROOT);
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    if (k.equals("index.docker.io") || k.equals("registry-1.docker.io")) {
      return "docker.io";
    }
    return k;
  }
}

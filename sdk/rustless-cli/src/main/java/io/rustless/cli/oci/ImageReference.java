package io.rustless.cli.oci;

import io.rustless.cli.UsageException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code registry/repository[:tag][@sha256:…]}, checked up front so that a typo fails with one line
 * before any build or network call. The registry host is required: a plugin pushed to Docker Hub by
 * accident is worse than a question.
 *
 * @param tag null if none
 * @param digest null if none
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  private static final String EXAMPLE = "registry.example.com/plugins/say-hello:0.1.0";
  private static final Pattern HOST =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9-]+)*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]{1,5})?");
  private static final Pattern COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

  /** Parses {@code text}; an {@code oci://} prefix (as in a WasmPlugin url) is accepted. */
  public static ImageReference parse(String text) {
    if (text == null || text.isBlank()) {
      throw bad(String.valueOf(text), "it is empty");
    }
    String s = text.strip();
    if (s.startsWith("oci://")) {
      s = s.substring("oci://".length());
    }
    if (s.contains("://")) {
      throw bad(text, "only oci:// or no scheme is allowed");
    }
    if (s.chars().anyMatch(Character::isWhitespace)) {
      throw bad(text, "it contains whitespace");
    }
    String digest = null;
    int at = s.indexOf('@');
    if (at >= 0) {
      digest = s.substring(at + 1);
      s = s.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw bad(text, "the digest must be sha256: followed by 64 lower-case hex digits");
      }
    }
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw bad(text, "it names no registry host");
    }
    String registry = s.substring(0, slash);
    String rest = s.substring(slash + 1);
    if (!(registry.contains(".") || registry.contains(":") || registry.equals("localhost"))) {
      throw bad(
          text,
          "'"
              + registry
              + "' is not a registry host (a host has a dot or a port, or is"
              + " localhost)");
    }
    if (!HOST.matcher(registry).matches()) {
      throw bad(text, "'" + registry + "' is not a valid host[:port]");
    }
    String tag = null;
    int lastSlash = rest.lastIndexOf('/');
    int colon = rest.indexOf(':', lastSlash + 1);
    if (colon >= 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw bad(text, "'" + tag + "' is not a valid tag (letters, digits, _ . -; at most 128)");
      }
    }
    if (rest.isEmpty()) {
      throw bad(text, "the repository is empty");
    }
    for (String component : rest.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw bad(
            text,
            "'"
                + component
                + "' is not a valid repository path component (lower-case letters,"
                + " digits, and . _ - between them)");
      }
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  private static UsageException bad(String text, String why) {
    return new UsageException(
        "bad image reference '" + text + "': " + why + " (expected e.g. " + EXAMPLE + ")");
  }

  public Optional<String> tagOptional() {
    return Optional.ofNullable(tag);
  }

  public Optional<String> digestOptional() {
    return Optional.ofNullable(digest);
  }

  /** {@code registry/repository}. */
  public String name() {
    return registry + "/" + repository;
  }

  /** {@code registry/repository@digest}: what a WasmPlugin should pin. */
  public String pinned(String manifestDigest) {
    return name() + "@" + manifestDigest;
  }

  /** The same repository at {@code manifestDigest}, without a tag. */
  public ImageReference atDigest(String manifestDigest) {
    return new ImageReference(registry, repository, null, manifestDigest);
  }

  /** The same repository at {@code tag}. */
  public ImageReference atTag(String newTag) {
    return new ImageReference(registry, repository, newTag, null);
  }

  /** What the registry API addresses: the digest if there is one, else the tag. */
  public String reference() {
    return digest != null ? digest : tag != null ? tag : "latest";
  }

  @Override
  public String toString() {
    return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }
}

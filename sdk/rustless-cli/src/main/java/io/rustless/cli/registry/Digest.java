package io.rustless.cli.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A content digest, {@code algorithm:hex}, as the OCI image spec defines it. Only the algorithms
 * the spec registers are accepted (sha256, which every client uses, and sha512), with their exact
 * lower-case hex length, so a digest is also a safe file name.
 *
 * @param algorithm {@code sha256} or {@code sha512}
 * @param hex the lower-case hex encoding, 64 or 128 characters
 */
public record Digest(String algorithm, String hex) {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  public Digest {
    if (!valid(algorithm, hex)) {
      throw new IllegalArgumentException("not a sha256 or sha512 digest: " + algorithm + ":" + hex);
    }
  }

  /** The digest {@code text} names, if it is one this registry supports. */
  public static Optional<Digest> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    String algorithm = text.substring(0, colon);
    String hex = text.substring(colon + 1);
    return valid(algorithm, hex) ? Optional.of(new Digest(algorithm, hex)) : Optional.empty();
  }

  /** Whether {@code text} looks like a digest at all ({@code alg:encoded}), supported or not. */
  static boolean looksLikeDigest(String text) {
    return text.matches("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
  }

  private static boolean valid(String algorithm, String hex) {
    return switch (algorithm) {
      case "sha256" -> SHA256.matcher(hex).matches();
      case "sha512" -> SHA512.matcher(hex).matches();
      default -> false;
    };
  }

  /** The digest of {@code bytes} with {@code algorithm}. */
  public static Digest of(String algorithm, byte[] bytes) {
    MessageDigest md = newMessageDigest(algorithm);
    return new Digest(algorithm, HexFormat.of().formatHex(md.digest(bytes)));
  }

  /** The sha256 digest of {@code bytes}. */
  public static Digest sha256(byte[] bytes) {
    return of("sha256", bytes);
  }

  static Digest finish(String algorithm, MessageDigest md) {
    return new Digest(algorithm, HexFormat.of().formatHex(md.digest()));
  }

  static MessageDigest newMessageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(
          switch (algorithm) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported algorithm " + algorithm);
          });
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + algorithm, e);
    }
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}

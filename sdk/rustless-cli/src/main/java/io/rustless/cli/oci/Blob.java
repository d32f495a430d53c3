package io.rustless.cli.oci;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Content addressed by its digest: a layer or the config of an image.
 *
 * @param title the file name a puller gives it ({@code org.opencontainers.image.title}), or null
 */
public record Blob(String mediaType, byte[] content, String digest, String title) {

  public Blob {
    Objects.requireNonNull(mediaType);
    content = content.clone();
  }

  public static Blob of(String mediaType, byte[] content, String title) {
    return new Blob(mediaType, content, sha256Digest(content), title);
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  public long size() {
    return content.length;
  }

  /** {@code sha256:<hex>} of {@code bytes}. */
  public static String sha256Digest(byte[] bytes) {
    return "sha256:" + sha256Hex(bytes);
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The descriptor JSON for a manifest. */
  String descriptorJson() {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"mediaType\":")
        .append(JsonText.quote(mediaType))
        .append(",\"digest\":")
        .append(JsonText.quote(digest))
        .append(",\"size\":")
        .append(content.length);
    if (title != null) {
      sb.append(",\"annotations\":{")
          .append(JsonText.quote(MediaTypes.TITLE_ANNOTATION))
          .append(':')
          .append(JsonText.quote(title))
          .append('}');
    }
    return sb.append('}').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Blob b
        && b.mediaType.equals(mediaType)
        && b.digest.equals(digest)
        && Objects.equals(b.title, title);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return mediaType
        + " "
        + digest
        + " ("
        + content.length
        + " bytes"
        + (title == null ? "" : ", " + title)
        + ")";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

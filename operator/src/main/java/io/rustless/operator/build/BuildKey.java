package io.rustless.operator.build;

import io.rustless.operator.Names;
import java.util.Objects;

/**
 * Decides whether to build: SHA-256 over the source, the SDK version, the builder image and the
 * target repository. Config, match rules and build resources are not in it, so changing them never
 * rebuilds. (The target repository is in it because a new repository needs a new push.)
 *
 * @param hex 64 lowercase hex characters
 */
public record BuildKey(String hex) {

  public BuildKey {
    Objects.requireNonNull(hex, "hex");
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a build key is 64 hex characters: " + hex);
    }
  }

  public static BuildKey of(
      SourceRef source, String sdkVersion, String builderImage, String imageRepository) {
    String canonical =
        String.join(
            "\n",
            "rustless-build-key/v1",
            "source=" + source.canonical(),
            "sdk=" + sdkVersion,
            "builder=" + builderImage,
            "repository=" + imageRepository);
    return new BuildKey(Names.sha256Hex(canonical));
  }

  @Override
  public String toString() {
    return hex;
  }
}

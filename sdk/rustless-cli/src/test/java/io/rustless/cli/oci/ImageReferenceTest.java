package io.rustless.cli.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.cli.UsageException;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void parsesRegistryRepositoryTagAndDigest() {
    ImageReference r = ImageReference.parse("127.0.0.1:5000/plugins/say-hello:0.1.0");
    assertThat(r.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(r.repository()).isEqualTo("plugins/say-hello");
    assertThat(r.tag()).isEqualTo("0.1.0");
    assertThat(r.digest()).isNull();
    assertThat(r).hasToString("127.0.0.1:5000/plugins/say-hello:0.1.0");

    ImageReference d = ImageReference.parse("oci://ghcr.io/acme/x@" + DIGEST);
    assertThat(d.registry()).isEqualTo("ghcr.io");
    assertThat(d.digest()).isEqualTo(DIGEST);
    assertThat(d.tag()).isNull();
    assertThat(d.reference()).isEqualTo(DIGEST);
    assertThat(ImageReference.parse("localhost/a/b:c").registry()).isEqualTo("localhost");
  }

  @Test
  void pinnedReferenceDropsTheTag() {
    ImageReference r = ImageReference.parse("registry.example.com/plugins/a:1");
    assertThat(r.pinned(DIGEST)).isEqualTo("registry.example.com/plugins/a@" + DIGEST);
  }

  @Test
  void badReferencesSayWhatIsWrong() {
    assertBad("say-hello:0.1.0", "names no registry host");
    assertBad("plugins/say-hello:0.1.0", "'plugins' is not a registry host");
    assertBad("reg.io/Plugins/x:1", "'Plugins' is not a valid repository path component");
    assertBad("reg.io/x:bad tag", "whitespace");
    assertBad("reg.io/x:-bad", "not a valid tag");
    assertBad("reg.io/x@sha256:123", "the digest must be sha256:");
    assertBad("https://reg.io/x:1", "only oci:// or no scheme");
    assertBad("", "empty");
    assertBad("reg.io/:1", "the repository is empty");
  }

  private static void assertBad(String text, String why) {
    assertThatThrownBy(() -> ImageReference.parse(text))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("bad image reference")
        .hasMessageContaining(why);
  }
}

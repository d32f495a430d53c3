package io.rustless.operator.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RefAdvertisementTest {

  private static String pkt(String line) {
    return String.format("%04x", line.length() + 4) + line;
  }

  private static final String A = "a".repeat(40);
  private static final String B = "b".repeat(40);
  private static final String C = "c".repeat(40);
  private static final String T = "d".repeat(40);

  private static byte[] advertisement() {
    return (pkt("# service=git-upload-pack\n")
            + "0000"
            + pkt(A + " HEAD\0multi_ack side-band-64k symref=HEAD:refs/heads/main\n")
            + pkt(A + " refs/heads/main\n")
            + pkt(B + " refs/heads/release/1.x\n")
            + pkt(T + " refs/tags/v1.0\n")
            + pkt(C + " refs/tags/v1.0^{}\n")
            + "0000")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void resolvesBranchesTagsToTheirCommitAndFullRefs() {
    var refs = RefAdvertisement.parse(advertisement());

    assertThat(refs.resolve("main")).contains(A);
    assertThat(refs.resolve("release/1.x")).contains(B);
    assertThat(refs.resolve("v1.0")).contains(C);
    assertThat(refs.resolve("refs/tags/v1.0")).contains(C);
    assertThat(refs.resolve("HEAD")).contains(A);
    assertThat(refs.resolve("nope")).isEmpty();
  }

  @Test
  void rejectsWhatIsNotPktLines() {
    assertThatThrownBy(
            () -> RefAdvertisement.parse("<html>login</html>".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(GitResolveException.class);
    assertThatThrownBy(() -> RefAdvertisement.parse("00ffabc".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("truncated");
  }

  @Test
  void durationsAsKubernetesWritesThem() {
    assertThat(GitDurations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GitDurations.parse("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(GitDurations.parse("1.5m")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GitDurations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> GitDurations.parse("5 minutes")).hasMessageContaining("5 minutes");
  }

  @Test
  void urlsWithCredentialsAreDetectedWithoutEchoingThem() {
    assertThat(GitRepositoryUrl.hasCredentials("https://user:s3cret@git.example.com/x.git"))
        .isTrue();
    assertThat(GitRepositoryUrl.hasCredentials("https://git.example.com/x.git")).isFalse();
    assertThat(GitRepositoryUrl.problem("git@github.com:acme/x.git"))
        .hasValueSatisfying(p -> assertThat(p).contains("http or https"));
    assertThat(GitRepositoryUrl.problem("ssh://git@github.com/acme/x.git"))
        .hasValueSatisfying(p -> assertThat(p).contains("ssh"));
    assertThat(GitRepositoryUrl.problem("https://github.com/acme/x.git")).isEmpty();
  }

  @Test
  void revisionsAreCachedPerIntervalAndCommitsNeedNoNetwork() {
    int[] calls = {0};
    var clock = new MutableClock();
    var revisions =
        new Revisions(
            (repo, rev, creds) -> {
              calls[0]++;
              return calls[0] == 1 ? A : B;
            },
            clock);

    var first =
        revisions.resolve(
            "https://g/x", "main", "", Duration.ofMinutes(5), false, java.util.Optional::empty);
    clock.advance(Duration.ofMinutes(1));
    var cached =
        revisions.resolve(
            "https://g/x", "main", "", Duration.ofMinutes(5), false, java.util.Optional::empty);
    var forced =
        revisions.resolve(
            "https://g/x", "main", "", Duration.ofMinutes(5), true, java.util.Optional::empty);
    var commit =
        revisions.resolve(
            "https://g/x", "3f2a9c1", "", Duration.ofMinutes(5), false, java.util.Optional::empty);

    assertThat(first)
        .isEqualTo(
            new Revisions.Resolution.Commit(A, java.util.Optional.of(Duration.ofMinutes(5))));
    assertThat(cached)
        .isEqualTo(
            new Revisions.Resolution.Commit(A, java.util.Optional.of(Duration.ofMinutes(4))));
    assertThat(forced)
        .isEqualTo(
            new Revisions.Resolution.Commit(B, java.util.Optional.of(Duration.ofMinutes(5))));
    assertThat(commit)
        .isEqualTo(new Revisions.Resolution.Commit("3f2a9c1", java.util.Optional.empty()));
    assertThat(calls[0]).isEqualTo(2);
  }

  static final class MutableClock extends java.time.Clock {
    private java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }
}

package io.rustless.operator.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ls-remote over smart HTTP against a real git repository served by git upload-pack. */
class SmartHttpResolverTest {

  private final SmartHttpResolver resolver = new SmartHttpResolver(Duration.ofSeconds(10));

  @Test
  void resolvesABranchToItsCurrentCommit() throws Exception {
    try (var repo = GitHttpServer.start(null)) {
      String first = repo.head();
      assertThat(resolver.resolve(repo.url(), "main", Optional.empty())).isEqualTo(first);

      String second = repo.commit("second");
      assertThat(resolver.resolve(repo.url(), "main", Optional.empty()))
          .isEqualTo(second)
          .isNotEqualTo(first);
      assertThat(resolver.resolve(repo.url(), "refs/heads/main", Optional.empty()))
          .isEqualTo(second);
      assertThatThrownBy(() -> resolver.resolve(repo.url(), "nope", Optional.empty()))
          .hasMessage("revision nope is not a branch, tag or ref of " + repo.url());
    }
  }

  @Test
  void aPrivateRepositoryNeedsItsCredentialsAndSaysSoWithoutPrintingThem() throws Exception {
    try (var repo = GitHttpServer.start("bot:t0ken")) {
      assertThatThrownBy(() -> resolver.resolve(repo.url(), "main", Optional.empty()))
          .hasMessageContaining("HTTP 401")
          .hasMessageContaining("needs spec.source.git.secretRef");
      var wrong = Optional.of(new GitCredentials("bot", "wrong"));
      assertThatThrownBy(() -> resolver.resolve(repo.url(), "main", wrong))
          .hasMessageContaining("were not accepted")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong"));

      assertThat(
              resolver.resolve(repo.url(), "main", Optional.of(new GitCredentials("bot", "t0ken"))))
          .isEqualTo(repo.head());
    }
  }

  @Test
  void anUnreachableHostIsAClearError() {
    assertThatThrownBy(() -> resolver.resolve("http://127.0.0.1:1/x.git", "main", Optional.empty()))
        .isInstanceOf(GitResolveException.class)
        .hasMessageStartingWith("cannot reach 127.0.0.1");
  }
}

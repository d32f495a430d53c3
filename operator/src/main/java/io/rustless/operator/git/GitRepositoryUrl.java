package io.rustless.operator.git;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Checks on a {@code spec.source.git.repository} URL, with messages that never echo secrets. */
public final class GitRepositoryUrl {

  private GitRepositoryUrl() {}

  /** Whether the URL carries credentials ({@code https://user:token@host/…}). */
  public static boolean hasCredentials(String repository) {
    return parse(repository).map(u -> u.getRawUserInfo() != null).orElse(false);
  }

  /**
   * Why the URL cannot be used, or empty: it must be http or https (the operator resolves branches
   * over git's smart HTTP protocol, and the builder image has no ssh client) with a host.
   */
  public static Optional<String> problem(String repository) {
    Optional<URI> uri = parse(repository);
    if (uri.isEmpty()) {
      return Optional.of(
          "spec.source.git.repository must be an http or https URL (ssh addresses such as"
              + " git@host:path are not supported)");
    }
    String scheme =
        uri.get().getScheme() == null ? "" : uri.get().getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return Optional.of(
          "spec.source.git.repository must be an http or https URL (got scheme "
              + (scheme.isEmpty() ? "none" : scheme)
              + "); ssh is not supported");
    }
    if (uri.get().getHost() == null) {
      return Optional.of("spec.source.git.repository has no host");
    }
    return Optional.empty();
  }

  /** The host (for messages and policies). */
  public static Optional<String> host(String repository) {
    return parse(repository).map(URI::getHost);
  }

  private static Optional<URI> parse(String repository) {
    if (repository == null || repository.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new URI(repository.strip()));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}

package io.rustless.operator.git;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code git ls-remote} over git's smart HTTP protocol with the JDK's HTTP client: one GET of the
 * ref advertisement, no clone, no git binary in the operator image.
 */
public final class SmartHttpResolver implements GitRevisionResolver {

  private static final String ADVERTISEMENT = "application/x-git-upload-pack-advertisement";

  private final HttpClient http;
  private final Duration timeout;

  public SmartHttpResolver(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(timeout)
            .build();
  }

  @Override
  public String resolve(String repository, String revision, Optional<GitCredentials> credentials) {
    String base = repository.strip();
    URI uri =
        URI.create(base + (base.endsWith("/") ? "" : "/") + "info/refs?service=git-upload-pack");
    var request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            // Servers speak the smart protocol to git clients; some check the agent.
            .header("User-Agent", "git/2.0 (rustless-operator)")
            .GET();
    credentials.ifPresent(c -> request.header("Authorization", c.basicAuthorization()));
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new GitResolveException(
          "cannot reach "
              + host(repository)
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitResolveException("interrupted while reading the refs of " + repository);
    }
    int code = response.statusCode();
    if (code == 401 || code == 403) {
      throw new GitResolveException(
          repository
              + " refused to list its refs (HTTP "
              + code
              + (credentials.isPresent()
                  ? "): the credentials in spec.source.git.secretRef were not accepted"
                  : "): a private repository needs spec.source.git.secretRef"));
    }
    if (code == 404) {
      throw new GitResolveException(repository + " was not found (HTTP 404)");
    }
    if (code / 100 != 2) {
      throw new GitResolveException(repository + " answered HTTP " + code);
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (!type.startsWith(ADVERTISEMENT)) {
      throw new GitResolveException(
          repository + " is not a git smart HTTP endpoint (Content-Type " + type + ")");
    }
    return RefAdvertisement.parse(response.body())
        .resolve(revision)
        .orElseThrow(
            () ->
                new GitResolveException(
                    "revision " + revision + " is not a branch, tag or ref of " + repository));
  }

  private static String host(String repository) {
    return GitRepositoryUrl.host(repository).orElse(repository);
  }
}

package io.rustless.operator.git;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP basic credentials for a git host, from a {@code kubernetes.io/basic-auth} Secret (keys
 * {@code username} and {@code password}; a token goes in {@code password}). Never printed.
 */
public record GitCredentials(String username, String password) {

  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";

  /** The credentials in {@code secret}; empty when it lacks a password. */
  public static Optional<GitCredentials> fromSecret(Secret secret) {
    if (secret == null) {
      return Optional.empty();
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    Map<String, String> plain = secret.getStringData() == null ? Map.of() : secret.getStringData();
    String password = value(data, plain, PASSWORD);
    if (password == null || password.isEmpty()) {
      return Optional.empty();
    }
    String username = value(data, plain, USERNAME);
    return Optional.of(
        new GitCredentials(username == null || username.isEmpty() ? "git" : username, password));
  }

  private static String value(Map<String, String> data, Map<String, String> plain, String key) {
    if (plain.containsKey(key)) {
      return plain.get(key);
    }
    String encoded = data.get(key);
    return encoded == null
        ? null
        : new String(Base64.getDecoder().decode(encoded.strip()), StandardCharsets.UTF_8);
  }

  /** The {@code Authorization} header value. */
  public String basicAuthorization() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "GitCredentials[username=" + username + ", password=<redacted>]";
  }
}

package io.rustless.cli.oci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import land.oras.Registry;
import land.oras.auth.AuthStore;
import land.oras.auth.AuthStoreAuthenticationProvider;
import land.oras.auth.UsernamePasswordProvider;

/**
 * How to reach a registry: plain HTTP or HTTPS, and whose credentials. Credentials come from, in
 * order: an explicit user and password; an explicit docker config; {@code
 * $DOCKER_CONFIG/config.json} (the builder Job mounts its push secret there); {@code
 * ~/.docker/config.json}; else none.
 */
public final class RegistryAccess {
  /**
   * ORAS creates a non-daemon pool per registry client and never shuts it down, so a JVM that used
   * it would not exit after main returns; one shared daemon pool avoids that.
   */
  private static final ExecutorService IO =
      Executors.newFixedThreadPool(
          4,
          new java.util.concurrent.ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
              Thread t = new Thread(r, "rustless-registry-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            }
          });

  private final boolean plainHttp;
  private final Credentials credentials;
  private final Path dockerConfig;
  private final Map<String, String> env;
  private final boolean anonymous;
  private final String credentialsSource;

  private RegistryAccess(Builder b) {
    this.plainHttp = b.plainHttp;
    this.credentials = b.credentials;
    this.dockerConfig = b.dockerConfig;
    this.env = Map.copyOf(b.env);
    this.anonymous = b.anonymous;
    this.credentialsSource = b.credentialsSource;
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean plainHttp() {
    return plainHttp;
  }

  /** A builder that starts from this access (to change the scheme or the credentials). */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.plainHttp = plainHttp;
    b.credentials = credentials;
    b.dockerConfig = dockerConfig;
    b.env = env;
    b.anonymous = anonymous;
    b.credentialsSource = credentialsSource;
    return b;
  }

  /** A client for {@code image}'s registry, and a description of its credentials. */
  public Session open(ImageReference image) {
    Registry.Builder b = Registry.builder().withExecutorService(IO).withInsecure(plainHttp);
    String auth;
    if (credentials != null) {
      b.withAuthProvider(
          new UsernamePasswordProvider(credentials.username(), credentials.password()));
      auth = "user " + credentials.username() + " (" + credentialsSource + ")";
    } else if (anonymous) {
      auth = "anonymous (" + credentialsSource + ")";
    } else {
      Optional<Path> file = configFile();
      Optional<DockerConfig> config = file.map(DockerConfig::read);
      Optional<Credentials> found = config.flatMap(c -> c.credentialsFor(image.registry()));
      if (found.isPresent()) {
        Credentials c = found.get();
        b.withAuthProvider(new UsernamePasswordProvider(c.username(), c.password()));
        auth = "user " + c.username() + " (" + file.get() + ")";
      } else if (config.isPresent() && config.get().usesHelpers()) {
        b.withAuthProvider(
            new AuthStoreAuthenticationProvider(AuthStore.newStore(List.of(file.get()))));
        auth = "credential helper of " + file.get();
      } else {
        auth =
            "anonymous"
                + file.map(f -> " (" + f + " has no entry for " + image.registry() + ")")
                    .orElse("");
      }
    }
    return new Session(b.build(), auth);
  }

  private Optional<Path> configFile() {
    if (dockerConfig != null) {
      Path p = Files.isDirectory(dockerConfig) ? dockerConfig.resolve("config.json") : dockerConfig;
      if (!Files.isRegularFile(p)) {
        throw new io.rustless.cli.UsageException("docker config " + p + " does not exist");
      }
      return Optional.of(p);
    }
    return DockerConfig.defaultLocation(env);
  }

  /**
   * An ORAS client for one registry.
   *
   * @param auth how it authenticates, for messages ("anonymous", "user alice (…/config.json)")
   */
  public record Session(Registry registry, String auth) {}

  /** Configures a {@link RegistryAccess}. */
  public static final class Builder {
    private boolean plainHttp;
    private Credentials credentials;
    private Path dockerConfig;
    private Map<String, String> env = System.getenv();
    private boolean anonymous;
    private String credentialsSource = "command line";

    private Builder() {}

    /** Talk HTTP instead of HTTPS (a registry on localhost or in a dev cluster). */
    public Builder plainHttp(boolean on) {
      this.plainHttp = on;
      return this;
    }

    public Builder credentials(Credentials c) {
      this.credentials = c;
      this.anonymous = false;
      return this;
    }

    /**
     * Credentials from somewhere other than the command line ({@code source} names it in messages,
     * e.g. {@code secret higress-system/pull}); none means anonymous, without looking at any docker
     * config.
     */
    public Builder credentials(java.util.Optional<Credentials> c, String source) {
      this.credentials = c.orElse(null);
      this.anonymous = c.isEmpty();
      this.credentialsSource = Objects.requireNonNull(source);
      return this;
    }

    /** A docker config file, or a directory holding {@code config.json}. */
    public Builder dockerConfig(Path fileOrDirectory) {
      this.dockerConfig = fileOrDirectory;
      return this;
    }

    /** The environment to read DOCKER_CONFIG from (tests pass their own). */
    public Builder environment(Map<String, String> environment) {
      this.env = Objects.requireNonNull(environment);
      return this;
    }

    public RegistryAccess build() {
      return new RegistryAccess(this);
    }
  }
}

package io.rustless.testservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (CNCF distribution), a real OCI registry, on 127.0.0.1 at a free
 * port, optionally requiring one htpasswd (bcrypt) user, with its storage on disk.
 *
 * <pre>{@code
 * try (DebianRegistry registry = DebianRegistry.builder().htpasswd("ci", "s3cret").start()) {
 *   String image = registry.image("plugins/say-hello:1.0.0"); // push over plain HTTP
 * }
 * }</pre>
 *
 * <p>Its directory holds {@code config.yml}, {@code htpasswd}, the storage ({@code data/}) and the
 * registry's log ({@code docker-registry.log}), which every start-up failure quotes. {@link
 * #stop()} and {@link #start()} take it away and bring it back on the same port with the same
 * storage, as a registry that goes away mid-build and returns.
 */
public final class DebianRegistry implements AutoCloseable {
  /** Where Debian's package {@value #PACKAGE} installs the registry. */
  public static final String PROGRAM = "/usr/bin/docker-registry";

  public static final String PACKAGE = "docker-registry";

  /** The bcrypt htpasswd line for a user comes from Debian's {@code apache2-utils}. */
  static final String HTPASSWD = "/usr/bin/htpasswd";

  static final String HTPASSWD_PACKAGE = "apache2-utils";

  /** How often a fresh port is tried when another process takes it between probe and start. */
  private static final int PORT_ATTEMPTS = 3;

  private final Path program;
  private final Path dir;
  private final boolean temporary;
  private final String user;
  private final String password;
  private final Duration startTimeout;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private int port;
  private Process process;

  private DebianRegistry(Builder b, Path program, Path dir, boolean temporary) {
    this.program = program;
    this.dir = dir;
    this.temporary = temporary;
    this.user = b.user;
    this.password = b.password;
    this.startTimeout = b.startTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How to start a {@link DebianRegistry}; every setting is optional. */
  public static final class Builder {
    private Path directory;
    private String user;
    private String password;
    private ProgramPolicy programs = ProgramPolicy.fail();
    private Duration startTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * Requires HTTP basic authentication as {@code user} / {@code password} (an htpasswd file made
     * with Debian's {@code htpasswd -B}). Without it, the registry is anonymous.
     */
    public Builder htpasswd(String user, String password) {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      if (user.isEmpty() || user.contains(":") || user.contains("\n")) {
        throw new IllegalArgumentException(
            "an htpasswd user name must be non-empty, without ':' or newline: '" + user + "'");
      }
      if (password.isEmpty() || password.contains("\n")) {
        throw new IllegalArgumentException("an htpasswd password must be non-empty, one line");
      }
      this.user = user;
      this.password = password;
      return this;
    }

    /**
     * The registry's directory (made if missing), kept after {@link DebianRegistry#close()}. By
     * default, a fresh temporary directory that {@code close()} deletes.
     */
    public Builder directory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * What happens when {@code docker-registry} or {@code htpasswd} is missing; by default {@link
     * ProgramPolicy#fail()}.
     */
    public Builder programs(ProgramPolicy programs) {
      this.programs = Objects.requireNonNull(programs, "programs");
      return this;
    }

    /** How long the registry may take to answer {@code GET /v2/}; 30 seconds by default. */
    public Builder startTimeout(Duration startTimeout) {
      if (startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
      }
      this.startTimeout = startTimeout;
      return this;
    }

    /**
     * Writes the configuration, starts the registry and returns once it answers HTTP.
     *
     * @throws IllegalStateException when it exits or does not answer in time; the message holds its
     *     log
     */
    public DebianRegistry start() {
      Path registry = programs.require(PACKAGE, PROGRAM);
      Path htpasswd = user == null ? null : programs.require(HTPASSWD_PACKAGE, HTPASSWD);
      try {
        boolean temporary = directory == null;
        Path dir =
            temporary
                ? Files.createTempDirectory("rustless-docker-registry-")
                : Files.createDirectories(directory);
        DebianRegistry r = new DebianRegistry(this, registry, dir, temporary);
        if (htpasswd != null) {
          Files.writeString(dir.resolve("htpasswd"), htpasswdLine(htpasswd, user, password));
        }
        r.firstStart();
        return r;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void firstStart() {
    for (int attempt = 1; ; attempt++) {
      port = freePort();
      writeConfig();
      try {
        start();
        return;
      } catch (IllegalStateException e) {
        // Another process may have bound the port between our probe and the registry's start.
        if (attempt == PORT_ATTEMPTS || !logText().contains("address already in use")) {
          deleteIfTemporary();
          throw e;
        }
      }
    }
  }

  private void writeConfig() {
    List<String> yml = new ArrayList<>();
    yml.addAll(
        List.of(
            "version: 0.1",
            "log:",
            "  level: warn",
            "  accesslog:",
            "    disabled: true",
            "storage:",
            "  filesystem:",
            "    rootdirectory: " + dir.resolve("data"),
            "  delete:",
            "    enabled: true",
            "http:",
            "  addr: " + host()));
    if (user != null) {
      yml.addAll(
          List.of(
              "auth:",
              "  htpasswd:",
              "    realm: rustless-test",
              "    path: " + dir.resolve("htpasswd")));
    }
    try {
      Files.writeString(config(), String.join("\n", yml) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts the registry (again, after {@link #stop()}) on its port with its storage, and returns
   * once it answers HTTP; does nothing while it runs.
   *
   * @throws IllegalStateException when it exits or does not answer in time; the message holds its
   *     log
   */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      Files.deleteIfExists(log());
      process =
          new ProcessBuilder(program.toString(), "serve", config().toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log().toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + program + ": " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        int exit = process.exitValue();
        process = null;
        throw new IllegalStateException(
            "docker-registry exited at start-up (exit code " + exit + ")" + logSection());
      }
      if (answers()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new IllegalStateException("interrupted while docker-registry was starting", e);
      }
    }
    stop();
    throw new IllegalStateException(
        "docker-registry did not answer on " + host() + " within " + startTimeout + logSection());
  }

  private boolean answers() {
    try {
      http.send(
          HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/"))
              .timeout(Duration.ofSeconds(2))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      return true; // 200 when anonymous, 401 with htpasswd: either way, it serves
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops the registry; its port refuses connections until {@link #start()}. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Stops the registry and deletes its directory if it made a temporary one. */
  @Override
  public void close() {
    stop();
    deleteIfTemporary();
  }

  private void deleteIfTemporary() {
    if (!temporary) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT/<repository>[:tag|@digest]}. */
  public String image(String repositoryAndReference) {
    return host() + "/" + repositoryAndReference;
  }

  /** The registry's directory: config, htpasswd, storage, log. */
  public Path directory() {
    return dir;
  }

  /** What the registry logged since it last started. */
  public String logText() {
    try {
      return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** A docker {@code config.json} with {@code user} / {@code password} for this registry. */
  public String dockerConfigJson(String user, String password) {
    return "{\"auths\":{\"" + host() + "\":{\"auth\":\"" + basic(user, password) + "\"}}}";
  }

  /**
   * The digest the registry serves for the manifest {@code repository:tag} (or {@code @digest}),
   * asked as the htpasswd user if there is one; empty when it serves none or cannot be reached.
   */
  public Optional<String> manifestDigest(String repository, String reference) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://" + host() + "/v2/" + repository + "/manifests/" + reference))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .header(
                "Accept",
                "application/vnd.oci.image.manifest.v1+json,"
                    + " application/vnd.docker.distribution.manifest.v2+json")
            .timeout(Duration.ofSeconds(10));
    if (user != null) {
      request.header("Authorization", "Basic " + basic(user, password));
    }
    try {
      HttpResponse<Void> response =
          http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200
          ? response.headers().firstValue("Docker-Content-Digest")
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "docker-registry " + host();
  }

  private Path config() {
    return dir.resolve("config.yml");
  }

  private Path log() {
    return dir.resolve("docker-registry.log");
  }

  private String logSection() {
    String text = logText().strip();
    return text.isEmpty()
        ? " (its log " + log() + " is empty)"
        : "; its log (" + log() + "):\n" + text;
  }

  private static String basic(String user, String password) {
    return Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A free TCP port on 127.0.0.1: bound to port 0, then released for the registry to take. */
  private static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  private static String htpasswdLine(Path htpasswd, String user, String password)
      throws IOException {
    Process p = new ProcessBuilder(htpasswd.toString(), "-Bbn", user, password).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            htpasswd + " -Bbn failed: " + new String(err, StandardCharsets.UTF_8).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + htpasswd, e);
    }
    return new String(out, StandardCharsets.UTF_8).strip() + "\n";
  }
}

package io.rustless.operator.git;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real git repository served over git's smart HTTP protocol (the ref advertisement of {@code git
 * upload-pack --stateless-rpc --advertise-refs}), on 127.0.0.1 and a free port, optionally behind
 * basic auth. Tests commit to it with the git binary.
 */
public final class GitHttpServer implements AutoCloseable {

  private final Path dir;
  private final HttpServer server;
  private final String credentials;

  private GitHttpServer(Path dir, HttpServer server, String credentials) {
    this.dir = dir;
    this.server = server;
    this.credentials = credentials;
  }

  /** A repository with one commit on {@code main}; {@code user:password} or null for none. */
  public static GitHttpServer start(String userPassword) throws IOException {
    Path dir = Files.createTempDirectory("rustless-git-");
    git(dir, "init", "-q", "-b", "main");
    var http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    var s = new GitHttpServer(dir, http, userPassword);
    s.commit("first");
    http.createContext(
        "/repo.git/info/refs",
        ex -> {
          try (ex) {
            if (s.credentials != null) {
              String expected =
                  "Basic "
                      + Base64.getEncoder()
                          .encodeToString(s.credentials.getBytes(StandardCharsets.UTF_8));
              if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                ex.sendResponseHeaders(401, -1);
                return;
              }
            }
            if (!"service=git-upload-pack".equals(ex.getRequestURI().getQuery())) {
              ex.sendResponseHeaders(403, -1);
              return;
            }
            byte[] refs = run(s.dir, "upload-pack", "--stateless-rpc", "--advertise-refs", ".");
            var body = new ByteArrayOutputStream();
            String service = "# service=git-upload-pack\n";
            body.writeBytes(
                (String.format("%04x", service.length() + 4) + service + "0000")
                    .getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(refs);
            ex.getResponseHeaders()
                .add("Content-Type", "application/x-git-upload-pack-advertisement");
            ex.sendResponseHeaders(200, body.size());
            ex.getResponseBody().write(body.toByteArray());
          }
        });
    http.start();
    return s;
  }

  /** The clone URL. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
  }

  /** A new commit on the current branch; returns its id. */
  public String commit(String message) {
    try {
      Files.writeString(dir.resolve("file.txt"), message + System.nanoTime());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(dir, "add", "file.txt");
    git(
        dir,
        "-c",
        "user.name=test",
        "-c",
        "user.email=test@example.com",
        "commit",
        "-q",
        "-m",
        message);
    return head();
  }

  public String head() {
    return new String(run(dir, "rev-parse", "HEAD"), StandardCharsets.UTF_8).strip();
  }

  private static void git(Path dir, String... args) {
    run(dir, args);
  }

  private static byte[] run(Path dir, String... args) {
    var command = new java.util.ArrayList<String>();
    command.add("git");
    command.addAll(List.of(args));
    try {
      var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false);
      pb.environment().putAll(Map.of("GIT_TERMINAL_PROMPT", "0", "HOME", dir.toString()));
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + err);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }
}

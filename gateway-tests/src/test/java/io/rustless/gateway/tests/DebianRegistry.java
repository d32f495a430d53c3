package io.rustless.gateway.tests;

import io.rustless.testing.services.DebianPackages;
import io.rustless.testing.services.LocalService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (CNCF distribution) on 127.0.0.1 at a free port, storage in
 * {@code dir}, and requiring {@link #USER}/{@link #PASSWORD} (bcrypt htpasswd, made with Debian's
 * {@code htpasswd}).
 */
final class DebianRegistry extends LocalService {
  static final String USER = "rustless";
  static final String PASSWORD = "gateway:s3cret";

  private DebianRegistry(Path dir, int port) {
    super(
        "docker-registry",
        List.of(
            DebianPackages.require("docker-registry", "/usr/bin/docker-registry").toString(),
            "serve",
            dir.resolve("config.yml").toString()),
        dir,
        port);
  }

  static DebianRegistry withCredentials(Path dir) {
    int port = freePort();
    try {
      Files.createDirectories(dir);
      Path htpasswd = dir.resolve("htpasswd");
      Files.writeString(htpasswd, htpasswdLine());
      Files.writeString(
          dir.resolve("config.yml"),
          "version: 0.1\n"
              + "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
              + "storage:\n  filesystem:\n    rootdirectory: "
              + dir.resolve("data")
              + "\nhttp:\n  addr: 127.0.0.1:"
              + port
              + "\nauth:\n  htpasswd:\n    realm: rustless-gateway-test\n    path: "
              + htpasswd
              + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new DebianRegistry(dir, port);
  }

  private static String htpasswdLine() throws IOException {
    Path htpasswd = DebianPackages.require("apache2-utils", "/usr/bin/htpasswd");
    Process p = new ProcessBuilder(htpasswd.toString(), "-Bbn", USER, PASSWORD).start();
    byte[] out = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(
            "htpasswd failed: "
                + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return new String(out, StandardCharsets.UTF_8).strip() + "\n";
  }

  /** {@code 127.0.0.1:PORT}. */
  String host() {
    return "127.0.0.1:" + port();
  }
}

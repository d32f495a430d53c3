package io.rustless.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.RustlessCli;
import io.rustless.cli.fixture.Cli;
import io.rustless.testing.services.LocalService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import land.oras.ContainerRef;
import land.oras.Registry;
import land.oras.exception.OrasException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rustless registry} as a user runs it: its own process, stopped with Ctrl-C (SIGTERM). */
class RegistryCommandTest {
  @TempDir Path tmp;

  @Test
  void itServesWithAuthenticationAndKeepsImagesInItsDirectoryUntilStopped() throws Exception {
    Path passwordFile = tmp.resolve("password");
    Files.writeString(passwordFile, "pa:ss word\n");
    int port = LocalService.freePort();
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RustlessCli.class.getName(),
                "registry",
                "--listen",
                "127.0.0.1:" + port,
                "--dir",
                tmp.resolve("data").toString(),
                "--username",
                "alice",
                "--password-file",
                passwordFile.toString())
            .redirectError(tmp.resolve("stderr").toFile())
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("127.0.0.1:" + port);
      ContainerRef ref = ContainerRef.parse("127.0.0.1:" + port + "/plugins/x:1");
      byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
      Registry alice =
          Registry.builder().insecure("127.0.0.1:" + port, "alice", "pa:ss word").build();
      alice.pushBlob(ref, content);
      Registry anonymous = Registry.builder().withInsecure(true).build();
      try {
        anonymous.pushBlob(ref, content);
        throw new AssertionError("an anonymous push was accepted");
      } catch (OrasException e) {
        assertThat(e.getStatusCode()).isEqualTo(401);
      }
    } finally {
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
    assertThat(Files.readString(tmp.resolve("stderr")))
        .contains("==> Registry on http://127.0.0.1:" + port)
        .contains("user alice")
        .containsPattern("POST /v2/plugins/x/blobs/uploads/\\?digest=sha256:[0-9a-f]+ -> 201");
    try (var blobs = Files.walk(tmp.resolve("data/blobs"))) {
      assertThat(blobs.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
          .containsExactly("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    }
  }

  @Test
  void badOptionsAreOneLineAndExit2() throws Exception {
    Cli noFile =
        Cli.run("registry", "--username", "u", "--password-file", tmp.resolve("nope").toString());
    assertThat(noFile.exitCode()).isEqualTo(2);
    assertThat(noFile.lastErrorLine())
        .isEqualTo("error: password file " + tmp.resolve("nope") + " does not exist");

    Cli alone = Cli.run("registry", "--username", "u");
    assertThat(alone.exitCode()).isEqualTo(2);
    assertThat(alone.lastErrorLine()).contains("--username and --password-file go together");

    Files.writeString(tmp.resolve("empty"), "\n");
    Cli empty =
        Cli.run("registry", "--username", "u", "--password-file", tmp.resolve("empty").toString());
    assertThat(empty.lastErrorLine()).contains("is empty");

    Cli badListen = Cli.run("registry", "--listen", "nowhere");
    assertThat(badListen.exitCode()).isEqualTo(2);
    assertThat(badListen.lastErrorLine()).contains("bad --listen 'nowhere'");

    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Cli busy = Cli.run("registry", "--listen", "127.0.0.1:" + taken.getLocalPort());
      assertThat(busy.exitCode()).isEqualTo(2);
      assertThat(busy.lastErrorLine())
          .startsWith("error: cannot listen on 127.0.0.1:" + taken.getLocalPort());
      assertThat(busy.hasStackTrace()).isFalse();
    }
    assertThat(List.of(noFile, alone, empty, badListen)).allMatch(c -> !c.hasStackTrace());
  }
}

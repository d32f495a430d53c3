package io.rustless.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code rustless dev} says to options it cannot use: one clear line, a non-zero exit. */
class DevBadInputTest {

  @TempDir Path dir;

  private record Run(int code, String out) {}

  private Run run(String... args) {
    var bytes = new ByteArrayOutputStream();
    var main = new DevMain(new PrintStream(bytes, true, StandardCharsets.UTF_8), Optional.empty());
    int code = new CommandLine(main).execute(args);
    return new Run(code, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aRegistryThatDoesNotAnswerIsNamedBeforeAnythingIsBuilt() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Run r = run("--registry", "127.0.0.1:" + closed, "--jobs", "process", "--dir", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("error: --registry 127.0.0.1:" + closed + " does not answer over plain HTTP")
        .doesNotContain("==> 1.");
  }

  @Test
  void aRegistryThatIsNotHostPortIsRefused() {
    Run r = run("--registry", "not a registry", "--jobs", "process", "--dir", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("error: --registry wants host:port");
  }

  @Test
  void anUnknownJobsModeIsAUsageError() {
    Run r = run("--jobs", "kubernetes", "--dir", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("error: --jobs must be auto, podman or process, not kubernetes");
  }
}

package io.rustless.v8;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Where V8's native library cannot load, starting the engine fails with a message saying so. */
class V8UnavailableTest {
  @Test
  void aMissingNativeLibraryIsAClearFailureNotACrash() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Djava.library.path=/nonexistent",
                    "-cp",
                    System.getProperty("java.class.path"),
                    NoNativeLibrary.class.getName()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(3);
    assertThat(out)
        .contains("unavailable: V8 (Javet) is unavailable on Linux amd64")
        .contains("its native library did not load")
        .contains("UnsatisfiedLinkError: no javet-v8-linux-x86_64")
        .contains("javet-v8-linux-x86_64");
  }
}

package io.rustless.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The harness runs end to end on every case (with tiny counts: no timing is asserted). */
class BenchmarksSmokeTest {

  @Test
  void everyCaseRunsAndPrintsARow() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    Benchmarks b =
        new Benchmarks(
            Path.of("target"), new PrintStream(buffer, true, StandardCharsets.UTF_8), 1000);
    b.runAll();
    assertThat(b.rows()).hasSize(16);
    assertThat(b.rows()).allSatisfy(r -> assertThat(r[1]).endsWith(" µs"));
    assertThat(buffer.toString(StandardCharsets.UTF_8))
        .contains("on_request_headers, adds one header")
        .contains("× pass-through")
        .contains("built with Wasm exceptions")
        .contains("say-hello (route rule, local reply)")
        .contains("× the C floor");
  }
}

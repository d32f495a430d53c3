package io.rustless.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The harness runs every case end to end (a tenth of a second each: no timing is asserted). */
class GatewayBenchmarksSmokeTest {
  @Test
  void everyCaseRunsAndPrintsARow() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    GatewayBenchmarks b =
        new GatewayBenchmarks(
            Path.of(System.getProperty("rustless.checkout", "..")),
            new PrintStream(buffer, true, StandardCharsets.UTF_8),
            1,
            0.1,
            2);
    b.runAll();
    assertThat(b.rows()).hasSize(6);
    assertThat(b.rows()).allSatisfy(r -> assertThat(r[1]).matches("[0-9,]+"));
    assertThat(buffer.toString(StandardCharsets.UTF_8))
        .contains("say-hello (local reply), 2 workers")
        .contains("× direct");
  }
}

package io.rustless.extensions.aidatamasking.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The benchmark harness runs end to end (tiny counts; no timing is asserted). */
class MaskingBenchmarkSmokeTest {

  @Test
  void runsEveryModeAndPrintsTheRatios() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    double[] figures =
        new MaskingBenchmark(new PrintStream(buffer, true, StandardCharsets.UTF_8), 1, 1, 10)
            .run(Path.of("target/plugin.wasm"));
    assertThat(figures).hasSize(6);
    for (double f : figures) {
      assertThat(f).isPositive();
    }
    assertThat(buffer.toString(StandardCharsets.UTF_8))
        .contains("1,048,576-byte OpenAI request, 1000 deny words, 5 replace rules, 1.0%")
        .contains("Wasm in V8 (Javet)")
        .contains("Wasm / JVM (medians): Chicory ");
  }

  @Test
  void theBodyIsOneMebibyteAndHoldsNoDenyWord() {
    Random r = new Random(2024);
    String body = MaskingBenchmark.body(r);
    assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(1 << 20);
    assertThat(MaskingBenchmark.denyWords(r, body)).hasSize(1000);
  }
}

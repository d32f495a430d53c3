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
    assertThat(b.rows()).hasSize(29);
    assertThat(b.rows()).allSatisfy(r -> assertThat(r[1]).endsWith(" µs"));
    assertThat(b.rows())
        .extracting(r -> r[0])
        .contains(
            "full request, say-hello (route rule, local reply), Chicory",
            "full request, say-hello (route rule, local reply), V8",
            "instantiate + vm start + configure, say-hello, V8");
    // the engines side by side: times, ratios to the C floor, memory per VM
    assertThat(b.sideBySide()).hasSize(15);
    assertThat(b.sideBySide())
        .allSatisfy(r -> assertThat(r[1]).matches("-?[0-9.,]+ (µs|KiB)|[0-9.]+×"));
    assertThat(b.sideBySide())
        .filteredOn(r -> r[0].equals("memory per VM: linear memory"))
        .singleElement()
        .satisfies(r -> assertThat(r[1]).isEqualTo(r[2]).isNotEqualTo("0 KiB"));
    assertThat(b.sideBySide())
        .filteredOn(r -> r[0].equals("memory per VM: total"))
        .singleElement()
        .satisfies(r -> assertThat(r[2]).isNotEqualTo("0 KiB"));
    assertThat(buffer.toString(StandardCharsets.UTF_8))
        .contains("on_request_headers, adds one header")
        .contains("× pass-through")
        .contains("built with Wasm exceptions")
        .contains("say-hello (route rule, local reply)")
        .contains("× the C floor")
        .contains("V8 / Chicory");
    assertThat(b.instructionLines())
        .hasSize(3)
        .allSatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "Wasm instructions per full request, .*: Java [0-9,]+, C floor [0-9,]+ \\([0-9.]+×\\)"));
  }

  /** Counted instructions are a property of the module and the request, not of the machine. */
  @Test
  void instructionCountsAreExactAndJavaDoesMoreThanC() {
    Benchmarks b =
        new Benchmarks(Path.of("target"), new PrintStream(new ByteArrayOutputStream()), 1);
    double java = b.instructionsPerRequest("say-hello.wasm", Benchmarks.HELLO_CONFIG, true, 50);
    double again = b.instructionsPerRequest("say-hello.wasm", Benchmarks.HELLO_CONFIG, true, 50);
    double c = b.instructionsPerRequest("floor.wasm", Benchmarks.FLOOR_HELLO_CONFIG, true, 50);
    assertThat(again).isEqualTo(java);
    assertThat(c).isGreaterThan(100);
    assertThat(java).isGreaterThan(c);
  }
}

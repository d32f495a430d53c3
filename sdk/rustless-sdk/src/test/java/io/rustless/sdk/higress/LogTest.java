package io.rustless.sdk.higress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTest {

  @Test
  void fillsPlaceholdersInOrder() {
    assertThat(Log.format("a {} b {} c", 1, "x")).isEqualTo("a 1 b x c");
    assertThat(Log.format("no args {}")).isEqualTo("no args {}");
    assertThat(Log.format("{}{}", null, true)).isEqualTo("nulltrue");
    assertThat(Log.format("{} and {}", "only one")).isEqualTo("only one and {}");
  }

  @Test
  void appendsATrailingThrowable() {
    assertThat(Log.format("failed {}", "op", new IllegalStateException("boom")))
        .isEqualTo("failed op: java.lang.IllegalStateException: boom");
  }
}

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

  enum Colour {
    RED
  }

  record Point(int x, int y) implements Loggable {
    @Override
    public String toLogString() {
      return "(" + x + "," + y + ")";
    }
  }

  record Plain(int x) {}

  @Test
  void showsNumbersBooleansCharactersEnumsAndLoggables() {
    assertThat(Log.format("{} {} {} {} {} {}", 7L, (short) 3, 2.5, 'c', Colour.RED, false))
        .isEqualTo("7 3 2.5 c RED false");
    assertThat(Log.format("at {}", new Point(1, 2))).isEqualTo("at (1,2)");
    assertThat(Log.format("{}", new StringBuilder("built"))).isEqualTo("built");
  }

  @Test
  void showsOtherObjectsAsTheirClassName() {
    // toString() is deliberately not called: see the class comment
    assertThat(Log.format("{}", new Plain(1))).isEqualTo(Plain.class.getName());
  }

  @Test
  void showsAThrowableInAPlaceholderAsClassAndMessage() {
    assertThat(Log.format("{} / {}", new IllegalStateException("x"), new RuntimeException()))
        .isEqualTo("java.lang.IllegalStateException: x / java.lang.RuntimeException");
  }
}

package io.rustless.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {
  @Test
  void parsesUnits() {
    assertThat(Sizes.parse("4m")).isEqualTo(4L << 20);
    assertThat(Sizes.parse("4MB")).isEqualTo(4L << 20);
    assertThat(Sizes.parse(" 512k ")).isEqualTo(512L << 10);
    assertThat(Sizes.parse("1g")).isEqualTo(1L << 30);
    assertThat(Sizes.parse("1048576")).isEqualTo(1L << 20);
    assertThat(Sizes.parse("100b")).isEqualTo(100);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> Sizes.parse("four"))
        .hasMessage("not a size: 'four' (write e.g. 4m, 512k or 1048576)");
    assertThatThrownBy(() -> Sizes.parse("-1m")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Sizes.parse("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void describesForPeople() {
    assertThat(Sizes.describe(512)).isEqualTo("512 B");
    assertThat(Sizes.describe(152_602)).isEqualTo("152,602 B (149.0 KiB)");
    assertThat(Sizes.describe(4 << 20)).isEqualTo("4,194,304 B (4.00 MiB)");
  }
}

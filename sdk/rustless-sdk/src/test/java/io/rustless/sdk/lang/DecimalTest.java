package io.rustless.sdk.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "7",
        "-0",
        "+42",
        "-42",
        "0012",
        "9223372036854775807",
        "-9223372036854775808",
        "+9223372036854775807",
        "2147483648",
        "-2147483649",
        "1000000000000000000"
      })
  void parsesWhatLongParseLongParses(String s) {
    assertThat(Decimal.parseLong(s)).isEqualTo(Long.parseLong(s));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "+",
        "-",
        "--1",
        "+-1",
        " 1",
        "1 ",
        "1a",
        "0x10",
        "1.0",
        "1e3",
        "9223372036854775808",
        "-9223372036854775809",
        "99999999999999999999",
        "١٢٣"
      })
  void rejectsWhatIsNotAnAsciiDecimalLong(String s) {
    assertThatThrownBy(() -> Decimal.parseLong(s))
        .isInstanceOf(NumberFormatException.class)
        .hasMessageContaining("\"" + s + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-2147483648", "2147483647", "+200", "-17"})
  void parsesInts(String s) {
    assertThat(Decimal.parseInt(s)).isEqualTo(Integer.parseInt(s));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2147483648", "-2147483649", "", "x"})
  void rejectsIntsOutOfRange(String s) {
    assertThatThrownBy(() -> Decimal.parseInt(s)).isInstanceOf(NumberFormatException.class);
  }
}

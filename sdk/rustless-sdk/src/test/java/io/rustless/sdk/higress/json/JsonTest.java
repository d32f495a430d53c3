package io.rustless.sdk.higress.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  @Test
  void parsesEveryKindOfValue() {
    JsonObject o =
        Json.parse(
                " {\"s\": \"x\", \"n\": -12.5e3, \"i\": 42, \"t\": true, \"f\": false, \"z\": null,"
                    + " \"a\": [1, [], {}], \"o\": {\"k\": \"v\"}} ")
            .asObject();
    assertThat(o.get("s").orElseThrow().asString()).isEqualTo("x");
    assertThat(o.get("n").orElseThrow().asNumber().doubleValue()).isEqualTo(-12500.0);
    assertThat(o.get("n").orElseThrow().asNumber().isIntegral()).isFalse();
    assertThat(o.get("i").orElseThrow().asNumber().intValue()).isEqualTo(42);
    assertThat(o.get("t").orElseThrow().asBoolean()).isTrue();
    assertThat(o.get("f").orElseThrow().asBoolean()).isFalse();
    assertThat(o.get("z").orElseThrow().isNull()).isTrue();
    assertThat(o.get("a").orElseThrow().asArray().size()).isEqualTo(3);
    assertThat(o.get("o").orElseThrow().asObject().get("k").orElseThrow().asString())
        .isEqualTo("v");
    assertThat(o.keys()).containsExactly("s", "n", "i", "t", "f", "z", "a", "o");
  }

  @Test
  void decodesEscapesAndUtf8() {
    String json = "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00 é 日本\"";
    assertThat(Json.parse(json).asString()).isEqualTo("a\"b\\c/d\b\f\n\r\té😀 é 日本");
  }

  @Test
  void writesCompactJsonThatParsesBack() {
    String text =
        "{\"q\":\"line\\nbreak \\\"quoted\\\" \\u0001 \\u2028\",\"n\":[1,2.5,-3e2],\"b\":true}";
    JsonValue v = Json.parse(text);
    assertThat(v.toString()).isEqualTo(text);
    assertThat(Json.parse(v.toString()).toString()).isEqualTo(text);
  }

  @Test
  void repeatedKeyReadsAsItsLastValue() {
    JsonObject o = Json.parse("{\"a\": 1, \"b\": 2, \"a\": 3}").asObject();
    assertThat(o.get("a").orElseThrow().asNumber().intValue()).isEqualTo(3);
    assertThat(o.keys()).containsExactly("a", "b");
  }

  @Test
  void invalidUtf8InsideStringsDecodesWithReplacementCharacters() {
    byte[] bytes = {'"', 'a', (byte) 0xFF, 'b', '"'};
    assertThat(Json.parse(bytes).asString()).isEqualTo("a\uFFFDb");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|0|unexpected end of input",
        "'{'|1|expected a member name in double quotes",
        "'{\"a\" 1}'|5|expected ':'",
        "'{\"a\": 1,}'|8|expected a member name in double quotes",
        "'[1 2]'|3|expected ',' or ']' in array",
        "'\"abc'|4|unterminated string",
        "'\"a\\qb\"'|3|invalid escape \\'q'",
        "'\"\\u12g4\"'|5|invalid hex digit in \\u escape",
        "'01'|1|unexpected data after the JSON value",
        "'-'|1|expected a digit",
        "'1.'|2|expected a digit after '.'",
        "'1e+'|3|expected a digit in exponent",
        "'tru'|3|invalid literal, expected true",
        "'nul l'|3|invalid literal, expected null",
        "'{} {}'|3|unexpected data after the JSON value",
        "'@'|0|unexpected character '@'",
      })
  void malformedInputNamesTheOffset(String input, int offset, String problem) {
    assertThatThrownBy(() -> Json.parse(input))
        .isInstanceOf(JsonException.class)
        .hasMessage("malformed JSON at offset " + offset + ": " + problem);
  }

  @Test
  void controlCharactersInStringsAreRejected() {
    assertThatThrownBy(() -> Json.parse("\"a\nb\""))
        .hasMessage("malformed JSON at offset 2: control character 0xa in string");
  }

  @Test
  void nestingIsCapped() {
    String deep = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertThat(Json.parse(deep).isArray()).isTrue();
    String tooDeep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    assertThatThrownBy(() -> Json.parse(tooDeep))
        .hasMessageContaining("nesting deeper than " + Json.MAX_DEPTH);
    String hostile = "{\"a\":".repeat(100_000);
    assertThatThrownBy(() -> Json.parse(hostile)).isInstanceOf(JsonException.class);
  }

  @Test
  void typeMismatchNamesBothTypes() {
    assertThatThrownBy(() -> Json.parse("[]").asObject())
        .hasMessage("expected an object but got an array");
    assertThatThrownBy(() -> Json.parse("1").asString())
        .hasMessage("expected a string but got a number");
    assertThatThrownBy(() -> Json.parse("1.5").asNumber().intValue())
        .hasMessage("expected an integer but got 1.5");
    assertThatThrownBy(() -> Json.parse("99999999999").asNumber().intValue())
        .hasMessage("integer out of range: 99999999999");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-0", "1", "-1", "10", "1.0", "1e5", "1E-5", "-0.5e+3"})
  void acceptsTheJsonNumberGrammar(String number) {
    assertThat(Json.parse(number).asNumber().text()).isEqualTo(number);
  }

  @Test
  void buildsObjects() {
    JsonObject o =
        JsonObject.builder().put("a", "x").put("n", 7).put("b", true).put("a", "y").build();
    assertThat(o.toString()).isEqualTo("{\"a\":\"y\",\"n\":7,\"b\":true}");
    assertThat(
            Json.parse(o.toString().getBytes(StandardCharsets.UTF_8))
                .asObject()
                .get("a")
                .orElseThrow()
                .asString())
        .isEqualTo("y");
  }
}

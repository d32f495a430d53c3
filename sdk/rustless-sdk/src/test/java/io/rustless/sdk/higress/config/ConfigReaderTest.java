package io.rustless.sdk.higress.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.sdk.higress.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {

  private static ConfigReader read(String json) {
    return ConfigReader.of(Json.parse(json).asObject());
  }

  @Test
  void readsTypedFieldsWithDefaults() {
    ConfigReader c =
        read(
            "{\"s\": \"x\", \"i\": 7, \"l\": 9000000000, \"b\": true, \"list\": [\"a\", \"b\"],"
                + " \"nul\": null}");
    assertThat(c.requireString("s")).isEqualTo("x");
    assertThat(c.getString("missing", "d")).isEqualTo("d");
    assertThat(c.getString("nul", "d")).isEqualTo("d");
    assertThat(c.getInt("i", 0)).isEqualTo(7);
    assertThat(c.getInt("missing", 5)).isEqualTo(5);
    assertThat(c.getLong("l", 0)).isEqualTo(9_000_000_000L);
    assertThat(c.getBoolean("b", false)).isTrue();
    assertThat(c.getStringList("list")).containsExactly("a", "b");
    assertThat(c.getStringList("missing")).isEmpty();
    assertThat(c.has("nul")).isFalse();
  }

  @Test
  void errorsNameTheFieldAndWhatWasWrong() {
    ConfigReader c = read("{\"s\": 1, \"i\": \"x\", \"f\": 1.5, \"list\": [\"a\", 2], \"o\": []}");
    assertThatThrownBy(() -> c.requireString("missing"))
        .hasMessage("missing: required field is missing (expected a string)");
    assertThatThrownBy(() -> c.requireString("s"))
        .hasMessage("s: expected a string but got a number");
    assertThatThrownBy(() -> c.getInt("i", 0))
        .hasMessage("i: expected an integer but got a string");
    assertThatThrownBy(() -> c.getInt("f", 0)).hasMessage("f: expected an integer but got 1.5");
    assertThatThrownBy(() -> c.getStringList("list"))
        .hasMessage("list[1]: expected a string but got a number");
    assertThatThrownBy(() -> c.requireObject("o"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("o: expected an object but got an array")
        .extracting(e -> ((InvalidConfigException) e).field())
        .isEqualTo("o");
  }

  @Test
  void rangeChecksIntegers() {
    ConfigReader c = read("{\"code\": 999, \"huge\": 99999999999}");
    assertThatThrownBy(() -> c.getInt("code", 403, 100, 599))
        .hasMessage("code: must be between 100 and 599 but is 999");
    assertThatThrownBy(() -> c.getInt("huge", 0))
        .hasMessage("huge: must be between -2147483648 and 2147483647 but is 99999999999");
  }

  @Test
  void nestedPathsAreReported() {
    ConfigReader c = read("{\"redis\": {\"port\": \"x\"}, \"items\": [{\"n\": 1}, 3]}");
    ConfigReader redis = c.requireObject("redis");
    assertThatThrownBy(() -> redis.getInt("port", 0))
        .hasMessage("redis.port: expected an integer but got a string");
    assertThatThrownBy(() -> c.getObjectList("items"))
        .hasMessage("items[1]: expected an object but got a number");
  }

  @Test
  void unknownKeysListsWhatNobodyRead() {
    ConfigReader c =
        read("{\"name\": \"a\", \"nmae\": \"b\", \"_rules_\": [], \"sub\": {\"x\": 1, \"y\": 2}}");
    c.requireString("name");
    c.requireObject("sub").getInt("x", 0);
    assertThat(c.unknownKeys()).isEqualTo(List.of("nmae", "sub.y"));
  }
}

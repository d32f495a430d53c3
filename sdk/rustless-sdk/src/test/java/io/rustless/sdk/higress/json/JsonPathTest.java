package io.rustless.sdk.higress.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPathTest {
  private static final String CHAT =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
          + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"},"
          + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:x\"}}]},"
          + "{\"role\":\"user\",\"content\":\"last\",\"meta\":{\"text\":\"deep\"}}],\"stream\":true}";

  private static List<String> read(String path, String json) {
    List<String> out = new ArrayList<>();
    for (JsonValue v : JsonPath.compile(path).read(Json.parse(json))) {
      out.add(v.toString());
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "$.model                      | \"m\"",
        "$.messages[0].content        | \"be brief\"",
        "$.messages[-1].content       | \"last\"",
        "$.messages[*].role           | \"system\",\"user\",\"user\"",
        "$['messages'][2][\"content\"] | \"last\"",
        "$.messages[1].content[*].type | \"text\",\"image_url\"",
        "$..text                      | \"hi\",\"deep\"",
        "$..[0].role                  | \"system\"",
        "$.stream                     | true",
        "$.messages[5].content        | ''",
        "$.model.x                    | ''",
        "$.messages.content           | ''",
      })
  void selectsWhatTheSubsetDescribes(String path, String expected) {
    String joined = String.join(",", read(path.trim(), CHAT));
    assertThat(joined).isEqualTo(expected == null ? "" : expected.trim());
  }

  @Test
  void rootAndWildcardsSelectInDocumentOrder() {
    assertThat(read("$", "[1,2]")).containsExactly("[1,2]");
    assertThat(read("$.*", "{\"a\":1,\"b\":[2]}")).containsExactly("1", "[2]");
    assertThat(read("$..*", "{\"a\":1,\"b\":[2]}")).containsExactly("1", "[2]", "2");
    assertThat(read("$..a", "{\"a\":{\"a\":1}}")).containsExactly("{\"a\":1}", "1");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                | a path starts with '$'",
        "messages          | at offset 0: a path starts with '$'",
        "$.                | at offset 2: expected a name or '*' after '.'",
        "$.a[              | at offset 4: unterminated '['",
        "$.a[?(@.b)]       | at offset 4: unsupported selector",
        "$.a[1:2]          | at offset 5: expected ']'",
        "$.a[0,1]          | at offset 5: expected ']'",
        "$.a['b            | unterminated quoted name",
        "$a                | at offset 1: expected '.' or '['",
        "$.a[-]            | expected a digit",
        "$.a[99999999999]  | index out of range",
      })
  void rejectsWhatItDoesNotSupportNamingTheOffset(String path, String message) {
    assertThatThrownBy(() -> JsonPath.compile(path.trim()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message.trim());
  }

  @Test
  void replaceRebuildsOnlyWhatChanged() {
    JsonValue root = Json.parse(CHAT);
    JsonValue same = JsonPath.compile("$.nothing").replace(root, v -> new JsonString("x"));
    assertThat(same).isSameAs(root);
    JsonValue out =
        JsonPath.compile("$..text")
            .replace(root, v -> new JsonString(v.asString().toUpperCase(java.util.Locale.ROOT)));
    assertThat(JsonPath.compile("$..text").read(out).toString()).isEqualTo("[\"HI\", \"DEEP\"]");
    assertThat(JsonPath.compile("$.messages[0]").readFirst(out).orElseThrow())
        .isSameAs(JsonPath.compile("$.messages[0]").readFirst(root).orElseThrow());
    assertThat(out.toString()).isEqualTo(CHAT.replace("\"hi\"", "\"HI\"").replace("deep", "DEEP"));
  }

  @Test
  void replaceAppliesToInnerValuesFirst() {
    JsonValue out =
        JsonPath.compile("$..a")
            .replace(
                Json.parse("{\"a\":{\"a\":\"x\"}}"),
                v -> v.isString() ? new JsonString("y") : JsonArray.of(List.of(v)));
    assertThat(out.toString()).isEqualTo("{\"a\":[{\"a\":\"y\"}]}");
  }

  @Test
  void readStringSkipsNonStrings() {
    JsonPath p = JsonPath.compile("$.messages[0].content");
    assertThat(p.readString(Json.parse("{\"messages\":[{\"content\":\"q\"}]}"))).contains("q");
    assertThat(p.readString(Json.parse("{\"messages\":[{\"content\":[1]}]}"))).isEmpty();
    assertThat(p.readString(Json.parse("[]"))).isEmpty();
  }

  // ---- JsonSelection ------------------------------------------------------------------------

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void selectionFindsSpansAndDecodesStrings() {
    String json = "{ \"a\" : [ \"x\\n\\u00e9\\ud83d\\ude00\" , 12.5 , {\"b\": null} ] }";
    JsonSelection s =
        JsonSelection.scan(utf8(json), JsonPath.compile("$.a[0]"), JsonPath.compile("$.a[*]"));
    assertThat(s.rootIsObject()).isTrue();
    assertThat(s.size()).isEqualTo(4);
    assertThat(s.pathIndex(0)).isEqualTo(0);
    assertThat(s.pathIndex(1)).isEqualTo(1);
    assertThat(s.string(0)).isEqualTo("x\né😀");
    assertThat(s.typeName(2)).isEqualTo("number");
    assertThat(new String(utf8(json), s.start(2), s.end(2) - s.start(2), StandardCharsets.UTF_8))
        .isEqualTo("12.5");
    assertThat(s.typeName(3)).isEqualTo("object");
    assertThat(s.value(3).toString()).isEqualTo("{\"b\":null}");
    assertThatThrownBy(() -> s.string(2)).isInstanceOf(JsonException.class);
  }

  @Test
  void replacingStringsKeepsEveryOtherByte() {
    String json =
        "{\n  \"messages\": [ {\"content\": \"call 123\"}, {\"content\": \"ok\"} ],\n"
            + "  \"n\": 1.50e2 }";
    JsonSelection s = JsonSelection.scan(utf8(json), JsonPath.compile("$.messages[*].content"));
    byte[] out = s.replaceStrings(new String[] {"call \"***\"", null});
    assertThat(new String(out, StandardCharsets.UTF_8))
        .isEqualTo(json.replace("\"call 123\"", "\"call \\\"***\\\"\""));
  }

  @Test
  void replacementsAreWrittenExactlyAsJsonStringQuotesThem() {
    java.util.Random r = new java.util.Random(5);
    String pool =
        "aZ\"\\/\n\r\t\b\f\u0001\u001f\u007f\u00e9\u2028\u2029\u65e5\ud83d\ude00\ud800x\udc00";
    for (int round = 0; round < 500; round++) {
      StringBuilder sb = new StringBuilder();
      for (int i = r.nextInt(20); i > 0; i--) {
        sb.append(pool.charAt(r.nextInt(pool.length())));
      }
      String value = sb.toString();
      StringBuilder quoted = new StringBuilder();
      JsonString.quote(value, quoted);
      byte[] expected = io.rustless.sdk.lang.Utf8.encode(quoted);
      byte[] out = new byte[JsonSelection.quotedLength(value.toCharArray())];
      assertThat(JsonSelection.writeQuoted(value.toCharArray(), out, 0)).isEqualTo(out.length);
      assertThat(out).as(value).isEqualTo(expected);
    }
  }

  @Test
  void charsAndCharReplacementsAgreeWithTheStringForms() {
    java.util.Random r = new java.util.Random(7);
    String pool =
        "aZ\"\\/\n\r\t\b\f\u0001\u001f\u007f\u00e9\u2028\u2029\u65e5\ud83d\ude00\ud800x\udc00";
    for (int round = 0; round < 300; round++) {
      StringBuilder value = new StringBuilder();
      for (int i = r.nextInt(20); i > 0; i--) {
        value.append(pool.charAt(r.nextInt(pool.length())));
      }
      StringBuilder json = new StringBuilder("{\"a\": ");
      JsonString.quote(value.toString(), json);
      json.append(", \"b\": \"plain \u00e9\"}");
      JsonSelection s = JsonSelection.scan(utf8(json.toString()), JsonPath.compile("$.*"));
      for (int i = 0; i < s.size(); i++) {
        assertThat(s.chars(i)).isEqualTo(s.string(i).toCharArray());
      }
      String replacement = new StringBuilder(value).reverse().toString();
      assertThat(s.replaceStrings(new char[][] {replacement.toCharArray(), null}))
          .isEqualTo(s.replaceStrings(new String[] {replacement, null}));
    }
  }

  @Test
  void stringsWithMalformedUtf8DecodeRunByRunBetweenEscapes() {
    // the one-pass decoder (ASCII, escapes and 3-byte sequences inline) must give exactly what
    // decoding each run between escapes with Utf8.decode gives, valid or not
    int[][] raw = {
      {'a'},
      {' '},
      {0xE6, 0x97, 0xA5},
      {0xE6, 0x97},
      {0x80},
      {0xED, 0xA0, 0x80},
      {0xE0, 0x80, 0xAF},
      {0xC3, 0xA9},
      {0xF0, 0x9F, 0x98, 0x80},
      {0xFF},
      {0xE2, 0x80, 0xA8},
      {0xEF, 0xBF, 0xBF}
    };
    String[] escapes = {"\\n", "\\\"", "\\\\", "\\u00e9", "\\ud83d", "\\/"};
    String[] decodedEscapes = {"\n", "\"", "\\", "\u00e9", "\ud83d", "/"};
    java.util.Random r = new java.util.Random(11);
    for (int round = 0; round < 500; round++) {
      java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
      json.writeBytes(utf8("{\"a\": \""));
      java.io.ByteArrayOutputStream run = new java.io.ByteArrayOutputStream();
      StringBuilder expected = new StringBuilder();
      for (int i = r.nextInt(12); i > 0; i--) {
        if (r.nextInt(4) == 0) {
          int e = r.nextInt(escapes.length);
          expected.append(io.rustless.sdk.lang.Utf8.decode(run.toByteArray()));
          run.reset();
          expected.append(decodedEscapes[e]);
          json.writeBytes(utf8(escapes[e]));
        } else {
          for (int b : raw[r.nextInt(raw.length)]) {
            run.write(b);
            json.write(b);
          }
        }
      }
      expected.append(io.rustless.sdk.lang.Utf8.decode(run.toByteArray()));
      json.writeBytes(utf8("\"}"));
      JsonSelection s = JsonSelection.scan(json.toByteArray(), JsonPath.compile("$.a"));
      assertThat(s.string(0)).isEqualTo(expected.toString());
      assertThat(s.chars(0)).isEqualTo(expected.toString().toCharArray());
    }
  }

  @Test
  void replacingOverlappingValuesIsRefused() {
    JsonSelection s =
        JsonSelection.scan(
            utf8("{\"a\":{\"b\":\"x\"}}"), JsonPath.compile("$.a"), JsonPath.compile("$.a.b"));
    assertThatThrownBy(() -> s.replaceStrings(new String[] {"1", "2"}))
        .hasMessageContaining("overlap");
    assertThat(new String(s.replaceStrings(new String[] {null, "y"}), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":{\"b\":\"y\"}}");
  }

  @Test
  void selectionSupportsNegativeIndexesAndDeepPaths() {
    String json = "{\"m\":[{\"c\":\"a\"},{\"c\":\"b\"},{\"c\":\"z\",\"x\":[{\"c\":\"in\"}]}]}";
    JsonSelection last = JsonSelection.scan(utf8(json), JsonPath.compile("$.m[-1].c"));
    assertThat(last.size()).isEqualTo(1);
    assertThat(last.string(0)).isEqualTo("z");
    JsonSelection deep = JsonSelection.scan(utf8(json), JsonPath.compile("$..c"));
    List<String> all = new ArrayList<>();
    for (int i = 0; i < deep.size(); i++) {
      all.add(deep.string(i));
    }
    assertThat(all).containsExactly("a", "b", "z", "in");
  }

  @Test
  void manyPathsAreScannedInSeveralPassesAndMergedInOrder() {
    List<JsonPath> paths = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      paths.add(JsonPath.compile("$.a.b.c.d.e.f.g.h" + i)); // 9 segments: 10 bits each
    }
    paths.add(JsonPath.compile("$.a.b.c.d.e.f.g.h0"));
    StringBuilder json = new StringBuilder("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{");
    for (int i = 19; i >= 0; i--) {
      json.append("\"h").append(i).append("\":\"v").append(i).append('"').append(i > 0 ? "," : "");
    }
    json.append("}}}}}}}}");
    JsonSelection s = JsonSelection.scan(utf8(json.toString()), paths);
    assertThat(s.size()).isEqualTo(21);
    for (int i = 1; i < s.size(); i++) {
      assertThat(s.start(i)).isGreaterThanOrEqualTo(s.start(i - 1));
    }
    assertThat(s.string(0)).isEqualTo("v19");
    assertThat(s.pathIndex(20)).isIn(0, 20);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"a\":1,}          | malformed JSON at offset 7",
        "[1 2]              | expected ',' or ']' in array",
        "{\"a\" 1}           | expected ':'",
        "\"\\x\"              | invalid escape",
        "\"\\u12g4\"          | invalid hex digit",
        "{}x                | unexpected data after the JSON value",
        "''                 | unexpected end of input",
        "tru                | expected true",
        "-                  | expected a digit",
      })
  void malformedJsonIsRejectedLikeTheParserDoes(String json, String message) {
    assertThatThrownBy(() -> JsonSelection.scan(utf8(json.trim()), JsonPath.compile("$..a")))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining(message.trim());
  }

  @Test
  void nestingIsCappedLikeTheParser() {
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    assertThatThrownBy(() -> JsonSelection.scan(utf8(deep)))
        .hasMessageContaining("nesting deeper than 128");
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertThat(JsonSelection.scan(utf8(ok)).size()).isZero();
  }

  @Test
  void controlCharactersAndInvalidUtf8() {
    assertThatThrownBy(() -> JsonSelection.scan(utf8("\"a\nb\"")))
        .hasMessageContaining("control character");
    byte[] bytes = {'[', '"', 'a', (byte) 0xFF, 'b', '"', ']'};
    JsonSelection s = JsonSelection.scan(bytes, JsonPath.compile("$[0]"));
    assertThat(s.string(0)).isEqualTo("a\uFFFDb");
    assertThat(s.rootIsObject()).isFalse();
  }
}

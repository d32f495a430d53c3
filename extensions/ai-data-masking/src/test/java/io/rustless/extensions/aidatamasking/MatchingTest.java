package io.rustless.extensions.aidatamasking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.RegexFootprint;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pieces behind the plugin, on the JVM: regex search, grok, deny words, windows. */
class MatchingTest {

  private static List<String> runs(String regex, String text) {
    List<String> out = new ArrayList<>();
    new RegexFinder(regex).findAll(text, (t, start, end) -> out.add(start + ":" + end));
    return out;
  }

  private static List<String> whole(String regex, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      out.add(m.start() + ":" + m.end());
    }
    return out;
  }

  @Test
  void runSearchFindsExactlyWhatAWholeTextSearchFinds() {
    String[] regexes = {
      Grok.expand("%{EMAILADDRESS}"),
      Grok.expand("%{IP}"),
      Grok.expand("%{IPV4}"),
      Grok.expand("%{MOBILE}"),
      Grok.expand("%{IDCARD}"),
      Grok.expand("%{UUID}"),
      Grok.expand("%{HOSTNAME}"),
      Grok.expand("%{URI}"),
      Grok.expand("%{MAC}"),
      "sk-[0-9a-zA-Z]*",
      "\\bab+c\\b",
      "(?i)hello world",
      "(?m)^ab",
      "ab$",
      "^ab",
      "[^ ]+@x",
      "a*",
      "\\d+(?:\\.\\d+)?",
      "é+|ü",
      "[😀-😎]+x",
      "\\pL{3}",
      "(?s).b",
    };
    Random r = new Random(3);
    String alphabet = "ab c@x.1-2:ÉéüAB\n😀_/?%";
    for (int round = 0; round < 300; round++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(60);
      for (int i = 0; i < len; i++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      if (r.nextBoolean()) {
        sb.insert(r.nextInt(sb.length() + 1), " bob.s@mail.example.com 13812345678 10.1.2.3 ");
      }
      String text = sb.toString();
      for (String re : regexes) {
        assertThat(runs(re, text)).as("%s in %s", re, text).isEqualTo(whole(re, text));
      }
    }
  }

  @Test
  void footprintsOfCommonPatternsAllowRunSearch() {
    assertThat(new RegexFinder(Grok.expand("%{EMAILADDRESS}")).searchesRuns()).isTrue();
    assertThat(new RegexFinder(Grok.expand("%{IP}")).searchesRuns()).isTrue();
    assertThat(new RegexFinder(Grok.expand("%{MOBILE}")).searchesRuns()).isTrue();
    assertThat(new RegexFinder("^x").searchesRuns()).isFalse();
    assertThat(new RegexFinder("a*").searchesRuns()).isFalse();
    assertThat(new RegexFinder("(?s).+").searchesRuns()).isFalse();
    RegexFootprint f = RegexFootprint.of(Grok.expand("%{EMAILADDRESS}"));
    assertThat(f.required()).containsExactly('@', '@');
    assertThat(RegexFootprint.of("\\d{8,11}").minLength()).isEqualTo(8);
    assertThat(RegexFootprint.of("(?i)k").alphabet())
        .containsExactly('K', 'K', 'k', 'k', 0x212A, 0x212A);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "EMAILADDRESS  | write to john.doe+x@mail.example.com now | john.doe+x@mail.example.com",
        "IPV4          | from 192.168.1.255 ok                   | 192.168.1.255",
        "IPV6          | at fe80::1ff:fe23:4567:890a%eth0 ok     | fe80::1ff:fe23:4567:890a%eth0",
        "IP            | v6 2001:db8::1 here                     | 2001:db8::1",
        "HOSTNAME      | see docs.example.org.                   | see",
        "UUID          | id 123e4567-e89b-12d3-a456-426614174000 | 123e4567-e89b-12d3-a456-426614174000",
        "MAC           | mac 00:1a:2b:3c:4d:5e                   | 00:1a:2b:3c:4d:5e",
        "MOBILE        | 手机13812345678                          | 13812345678",
        "IDCARD        | 证件 11010519491231002X                  | 11010519491231002X",
        "URI           | go https://user@example.com:8080/a?b=1   | https://user@example.com:8080/a?b=1",
        "TIMESTAMP_ISO8601 | at 2024-03-01T12:30:00Z          | 2024-03-01T12:30:00Z",
        "QS            | say \"hi \\\"there\\\"\" x                | \"hi \\\"there\\\"\"",
        "NUMBER        | pi 3.14                                 | 3.14",
        "WORD          | ,hello,                                 | hello",
      })
  void standardGrokPatternsMatchTheirExamples(String name, String text, String expected) {
    Matcher m = Pattern.compile(Grok.expand("%{" + name.trim() + "}")).matcher(text.trim());
    assertThat(m.find()).as(name).isTrue();
    assertThat(m.group()).isEqualTo(expected.trim());
  }

  @Test
  void everyGrokPatternCompilesAndReferencesAreGrouped() {
    for (String name : Grok.names()) {
      assertThat(Pattern.compile(Grok.expand("%{" + name + "}"))).as(name).isNotNull();
      assertThat(Pattern.compile(Grok.expand("%{" + name + "}")).groupCount()).as(name).isZero();
    }
    assertThat(Grok.expand("id:%{IDCARD}")).isEqualTo("id:(?:\\d{17}[0-9xX]|\\d{15})");
    assertThat(Grok.expand("%{MOBILE:phone:int}")).isEqualTo("(?P<phone>\\d{8,11})");
    assertThat(Grok.expand("100%{ and \\%{MOBILE}")).isEqualTo("100%{ and \\%{MOBILE}");
    assertThatThrownBy(() -> Grok.expand("%{NOPE}")).hasMessage("unknown grok pattern %{NOPE}");
    assertThatThrownBy(() -> Grok.expand("%{IP:1bad}")).hasMessageContaining("invalid grok alias");
  }

  @Test
  void valueTemplatesFollowRustRules() {
    Map<String, Integer> names = Map.of("domain", 2, "d1", 1);
    assertThat(MaskRule.template("plain", names)).containsExactly("plain");
    assertThat(MaskRule.template("", names)).containsExactly("");
    assertThat(MaskRule.template("$$ $domain ${d1}x $1a $12 $ $", names))
        .containsExactly("$ ", 2, " ", 1, "x ", Integer.MAX_VALUE, " ", 12, " $ $");
    assertThat(MaskRule.template("${open", names)).containsExactly("${open");
  }

  @Test
  void denyWordsAreNormalisedAndMatchWithBoundaries() {
    DenyWords d = DenyWords.of(List.of("  Drop   Table ", "", "秘密", "c++"), false);
    assertThat(d.maxLength()).isEqualTo(10);
    assertThat(d.find("x DROP\nTABLE y", true)).isEqualTo(0);
    assertThat(d.find("dropped table", true)).isEqualTo(-1);
    assertThat(d.find("drop tables", true)).isEqualTo(-1);
    assertThat(d.find("the 秘密 x", true)).isEqualTo(1);
    assertThat(d.find("I like c++!", true)).isEqualTo(2);
    assertThat(d.find("abc++", true)).isEqualTo(-1); // starts with a letter: needs a word start
    assertThat(d.find("... drop table", false)).isEqualTo(-1); // may go on: "drop tables"
    assertThat(d.find("... drop table", true)).isEqualTo(0);
    assertThat(d.describe(1)).isEqualTo("custom deny word \"秘密\"");
    assertThat(DenyWords.of(List.of("x"), true).describe(1)).startsWith("built-in deny word");
    assertThat(DenyWords.of(List.of("  Drop Table"), true))
        .isNotSameAs(DenyWords.of(List.of("a"), true));
    assertThat(DenyWords.of(List.of("a", "b"), false))
        .isSameAs(DenyWords.of(List.of("a", "b"), false));
  }

  @Test
  void restoreMapMarksMasksFromDifferentOriginalsAmbiguous() {
    RestoreMap m = new RestoreMap();
    m.put("M1", "a");
    m.put("M1", "a");
    m.put("M2", "b");
    m.put("M2", "c");
    m.put("M2", "b");
    m.put("", "x");
    assertThat(m.size()).isEqualTo(1);
    assertThat(m.ambiguous()).containsExactly("M2");
    assertThat(m.restore("M1 M2 M1M1")).isEqualTo("a M2 aa");
  }

  @Test
  void windowHoldsBackOnlyWhatCouldStillChange() {
    RestoreMap restore = new RestoreMap();
    restore.put("<MASK>", "secret");
    TextWindow w = new TextWindow(DenyWords.of(List.of(), false), restore);
    assertThat(w.append("abc<MA", false)).isEqualTo(-1);
    assertThat(w.take()).isEqualTo("a"); // 5 = longest mask - 1 held back
    w.append("SK>de", false);
    assertThat(w.take()).isEqualTo("bcsecret");
    assertThat(w.flush()).isEqualTo("de");
    TextWindow none = new TextWindow(DenyWords.of(List.of(), false), new RestoreMap());
    none.append("all at once", false);
    assertThat(none.take()).isEqualTo("all at once");
  }

  @Test
  void windowNeverSplitsASurrogatePair() {
    RestoreMap restore = new RestoreMap();
    restore.put("XY", "z");
    TextWindow w = new TextWindow(DenyWords.of(List.of(), false), restore);
    w.append("a😀", false);
    assertThat(w.take()).isEqualTo("a");
    w.append("b", false);
    assertThat(w.take()).isEqualTo("😀");
  }

  @Test
  void incompleteUtf8TailsWaitForTheirLastByte() {
    byte[] e = "é".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] emoji = "😀".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(RawStream.completePrefix(new byte[] {'a', e[0]})).isEqualTo(1);
    assertThat(RawStream.completePrefix(new byte[] {'a', e[0], e[1]})).isEqualTo(3);
    assertThat(RawStream.completePrefix(new byte[] {emoji[0], emoji[1], emoji[2]})).isZero();
    assertThat(RawStream.completePrefix(new byte[] {(byte) 0x80, (byte) 0x80})).isEqualTo(2);
    assertThat(RawStream.completePrefix(new byte[0])).isZero();
  }

  @Test
  void usageIsSummedDeeply() {
    JsonObject a =
        Json.parse("{\"prompt_tokens\":1,\"details\":{\"cached\":2},\"model\":\"x\"}").asObject();
    JsonObject b =
        Json.parse(
                "{\"prompt_tokens\":10,\"details\":{\"cached\":3,\"new\":1},\"total_tokens\":4,\"f\":0.5}")
            .asObject();
    assertThat(OpenAiStream.sum(a, b).toString())
        .isEqualTo(
            "{\"prompt_tokens\":11,\"details\":{\"cached\":5,\"new\":1},\"model\":\"x\",\"total_tokens\":4,\"f\":0.5}");
  }
}

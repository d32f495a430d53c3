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

  /** Every match with all its groups, as the finder reports them. */
  private static List<String> runs(RegexFinder finder, String text) {
    List<String> out = new ArrayList<>();
    finder.findAll(
        text.toCharArray(),
        (t, start, end) -> {
          StringBuilder sb = new StringBuilder(start + ":" + end);
          for (int g : finder.groupsAt(t, start, end)) {
            sb.append(',').append(g);
          }
          out.add(sb.toString());
        });
    return out;
  }

  /** The same from re2j's own find() loop over the whole text. */
  private static List<String> whole(String regex, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      StringBuilder sb = new StringBuilder(m.start() + ":" + m.end());
      for (int g = 0; g <= m.groupCount(); g++) {
        sb.append(',').append(m.start(g)).append(',').append(m.end(g));
      }
      out.add(sb.toString());
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
      Grok.expand("%{EMAILLOCALPART:user}@%{HOSTNAME:domain}"),
      Grok.expand("(?P<a>%{INT})[.:](?P<b>%{INT})?"),
      "(a|ab)(c|bcd)(d*)",
      "(?:x(y)?)+z",
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
    String alphabet = "ab c@x.1-2:ÉéüAB\n😀_/?%dyz";
    List<RegexFinder> finders = new ArrayList<>();
    List<RegexFinder> tiny = new ArrayList<>();
    for (String re : regexes) {
      finders.add(new RegexFinder(re));
      tiny.add(new RegexFinder(re, 3)); // the DFA keeps giving up: re2j takes over
    }
    for (int round = 0; round < 600; round++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(60);
      for (int i = 0; i < len; i++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      if (r.nextBoolean()) {
        sb.insert(r.nextInt(sb.length() + 1), " bob.s@mail.example.com 13812345678 10.1.2.3 ");
      }
      String text = sb.toString();
      for (int k = 0; k < regexes.length; k++) {
        List<String> expected = whole(regexes[k], text);
        assertThat(runs(finders.get(k), text)).as("%s in %s", regexes[k], text).isEqualTo(expected);
        assertThat(runs(tiny.get(k), text)).as("%s in %s", regexes[k], text).isEqualTo(expected);
      }
    }
  }

  /** The rules applied one by one with re2j's whole-text search: what the plan must reproduce. */
  private static String reference(List<MaskRule> rules, String text) {
    String current = text;
    for (MaskRule r : rules) {
      Matcher m = r.finder().pattern().matcher(current);
      StringBuilder sb = new StringBuilder();
      int last = 0;
      char[] chars = current.toCharArray();
      while (m.find()) {
        sb.append(current, last, m.start()).append(r.mask(chars, m.start(), m.end()));
        last = m.end();
      }
      current = sb.append(current.substring(last)).toString();
    }
    return current;
  }

  private static MaskRule rule(String regex, String value) {
    String type = value == null ? "hash" : "replace";
    String json =
        "{\"regex\": "
            + quote(regex)
            + ", \"type\": \""
            + type
            + "\""
            + (value == null ? "" : ", \"value\": " + quote(value))
            + "}";
    return MaskRule.parse(
        io.rustless.sdk.higress.config.ConfigReader.of(Json.parse(json).asObject()));
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    io.rustless.sdk.higress.json.JsonString.quote(s, sb);
    return sb.toString();
  }

  @Test
  void rulesAppliedTogetherMatchRulesAppliedOneByOne() {
    List<MaskRule> rules =
        List.of(
            rule("\\d{3,}", "x@y.zz"), // its masks are e-mail addresses for the next rule
            rule("%{EMAILLOCALPART:u}@%{HOSTNAME:d}", "<$d>"),
            rule("<[a-z.]+>", "ab"), // joins with neighbours into longer runs
            rule("(?i)ab+", null),
            rule("^x", "START"), // anchored: searches the whole text
            rule("[😀é]+", "E"));
    MaskPlan plan = new MaskPlan(rules);
    Random r = new Random(9);
    String alphabet = "ab c@x.1234-:Éé😀<>yz\nAB0123456789";
    int chained = 0;
    for (int round = 0; round < 1500; round++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(80);
      for (int i = 0; i < len; i++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String text = sb.toString();
      String expected = reference(rules, text);
      assertThat(Masker.mask(plan, text, new RestoreMap())).as("%s", text).isEqualTo(expected);
      if (reference(rules.subList(0, 2), text).contains("<y.zz>")) {
        chained++; // a digit run became an address, then <domain>, then "ab", then a hash
      }
    }
    assertThat(chained).isGreaterThan(100);
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

package io.rustless.sdk.higress.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AhoCorasickTest {

  private static List<String> all(AhoCorasick ac, String text) {
    List<String> out = new ArrayList<>();
    ac.scan(
        text,
        0,
        text.length(),
        (id, start, end) -> {
          out.add(ac.pattern(id) + "@" + start + "-" + end);
          return true;
        });
    return out;
  }

  @Test
  void findsEveryOccurrenceIncludingOverlapsAndSuffixes() {
    AhoCorasick ac = AhoCorasick.builder().add("he").add("she").add("his").add("hers").build();
    assertThat(all(ac, "ushers")).containsExactly("she@1-4", "he@2-4", "hers@2-6");
    assertThat(ac.size()).isEqualTo(4);
    assertThat(ac.maxLength()).isEqualTo(4);
  }

  @Test
  void foldsAsciiCaseAndWhitespaceWhenAsked() {
    AhoCorasick ac =
        AhoCorasick.builder()
            .foldAsciiCase(true)
            .foldAsciiWhitespace(true)
            .add("Drop Table")
            .add("秘密")
            .build();
    assertThat(all(ac, "x DROP\ttable; 机密 秘密")).containsExactly("Drop Table@2-12", "秘密@17-19");
    AhoCorasick exact = AhoCorasick.builder().add("Drop Table").build();
    assertThat(exact.containsAny("drop table")).isFalse();
    assertThat(exact.containsAny("Drop Table!")).isTrue();
  }

  @Test
  void duplicatesShareAnIdAndEmptyPatternsAreRefused() {
    AhoCorasick.Builder b = AhoCorasick.builder().foldAsciiCase(true);
    assertThat(b.addPattern("abc")).isEqualTo(0);
    assertThat(b.addPattern("ABC")).isEqualTo(0);
    assertThat(b.addPattern("abd")).isEqualTo(1);
    assertThatThrownBy(() -> b.add("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AhoCorasick.builder().add("x").foldAsciiCase(true))
        .isInstanceOf(IllegalStateException.class);
    assertThat(b.build().pattern(0)).isEqualTo("abc");
  }

  @Test
  void handlerCanStopTheScan() {
    AhoCorasick ac = AhoCorasick.builder().add("a").build();
    int[] seen = {0};
    boolean stopped =
        ac.scan(
            "aaaa",
            0,
            4,
            (id, s, e) -> {
              seen[0]++;
              return seen[0] < 2;
            });
    assertThat(stopped).isTrue();
    assertThat(seen[0]).isEqualTo(2);
    assertThat(AhoCorasick.builder().build().containsAny("abc")).isFalse();
  }

  @Test
  void leftmostLongestReplacement() {
    AhoCorasick ac = AhoCorasick.builder().add("ab").add("abcd").add("bc").add("d").build();
    assertThat(ac.replace("xabcdx abc d", id -> "<" + ac.pattern(id) + ">"))
        .isEqualTo("x<abcd>x <ab>c <d>");
    String same = "nothing here";
    assertThat(ac.replace(same, id -> "!")).isSameAs(same);
    assertThat(ac.replace("abcd", id -> null)).isEqualTo("abcd");
  }

  @Test
  void agreesWithBruteForceOnRandomInputInBothTableModes() {
    Random r = new Random(42);
    String alphabet = "abcAB é中\n";
    for (int round = 0; round < 200; round++) {
      List<String> words = new ArrayList<>();
      int n = 1 + r.nextInt(12);
      for (int i = 0; i < n; i++) {
        words.add(random(r, alphabet, 1 + r.nextInt(4)));
      }
      String text = random(r, alphabet, r.nextInt(80));
      for (long limit : new long[] {1 << 20, 0}) {
        AhoCorasick.Builder b = AhoCorasick.builder().foldAsciiCase(true).denseLimit(limit);
        words.forEach(b::add);
        AhoCorasick ac = b.build();
        List<String> expected = new ArrayList<>();
        String folded = lower(text);
        for (int end = 1; end <= text.length(); end++) {
          List<String> atEnd = new ArrayList<>();
          for (int id = 0; id < ac.size(); id++) {
            String w = lower(ac.pattern(id));
            if (end >= w.length() && folded.startsWith(w, end - w.length())) {
              atEnd.add(ac.pattern(id) + "@" + (end - w.length()) + "-" + end);
            }
          }
          atEnd.sort((x, y) -> Integer.compare(y.length(), x.length()));
          expected.addAll(atEnd);
        }
        assertThat(all(ac, text))
            .as("%s in %s", words, text)
            .containsExactlyInAnyOrderElementsOf(expected);
      }
    }
  }

  private static String lower(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return sb.toString();
  }

  private static String random(Random r, String alphabet, int len) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}

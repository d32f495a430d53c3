package io.rustless.sdk.lang;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  @Test
  void decodesValidTextLikeTheJdk() {
    String text = "plain ascii, café, 日本語, emoji 😀, math 𝔸, nul \0 end";
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.decode(utf8)).isEqualTo(text);
    assertThat(Utf8.encode(text)).isEqualTo(utf8);
    assertThat(Utf8.encodedLength(text)).isEqualTo(utf8.length);
  }

  @Test
  void randomValidStringsRoundTripLikeTheJdk() {
    Random random = new Random(42);
    for (int round = 0; round < 2000; round++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(40);
      for (int i = 0; i < len; i++) {
        int kind = random.nextInt(4);
        int cp =
            switch (kind) {
              case 0 -> random.nextInt(0x80);
              case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
              case 2 -> {
                int c = 0x800 + random.nextInt(0x10000 - 0x800);
                yield c >= 0xD800 && c <= 0xDFFF ? 0xE000 : c;
              }
              default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
            };
        sb.appendCodePoint(cp);
      }
      String s = sb.toString();
      byte[] jdk = s.getBytes(StandardCharsets.UTF_8);
      assertThat(Utf8.encode(s)).isEqualTo(jdk);
      assertThat(Utf8.decode(jdk)).isEqualTo(s);
    }
  }

  @Test
  void malformedBytesBecomeReplacementCharacters() {
    assertThat(Utf8.decode(bytes(0xFF))).isEqualTo("\uFFFD");
    assertThat(Utf8.decode(bytes('a', 0x80, 'b'))).isEqualTo("a\uFFFDb"); // lone continuation
    assertThat(Utf8.decode(bytes(0xC3))).isEqualTo("\uFFFD"); // truncated 2-byte
    assertThat(Utf8.decode(bytes(0xE6, 0x97))).isEqualTo("\uFFFD\uFFFD"); // truncated 3-byte
    assertThat(Utf8.decode(bytes(0xC0, 0xAF))).isEqualTo("\uFFFD\uFFFD"); // overlong '/'
    assertThat(Utf8.decode(bytes(0xE0, 0x80, 0xAF))).isEqualTo("\uFFFD\uFFFD\uFFFD");
    assertThat(Utf8.decode(bytes(0xED, 0xA0, 0x80))).isEqualTo("\uFFFD\uFFFD\uFFFD"); // surrogate
    assertThat(Utf8.decode(bytes(0xF4, 0x90, 0x80, 0x80))).hasSize(4); // above U+10FFFF
    assertThat(Utf8.decode(bytes(0xE6, 'x'))).isEqualTo("\uFFFDx"); // bad continuation
  }

  @Test
  void decodesARangeOfABuffer() {
    byte[] b = "xxhello".getBytes(StandardCharsets.US_ASCII);
    assertThat(Utf8.decode(b, 2, 5)).isEqualTo("hello");
    assertThat(Utf8.decode(b, 2, 0)).isEmpty();
  }

  @Test
  void unpairedSurrogatesEncodeAsReplacementCharacter() {
    assertThat(Utf8.encode("a\uD800b")).isEqualTo(bytes('a', 0xEF, 0xBF, 0xBD, 'b'));
    assertThat(Utf8.encode("\uDC00")).isEqualTo(bytes(0xEF, 0xBF, 0xBD));
    assertThat(Utf8.encodedLength("a\uD800b")).isEqualTo(5);
  }
}

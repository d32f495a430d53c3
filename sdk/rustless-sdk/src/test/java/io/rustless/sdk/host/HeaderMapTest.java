package io.rustless.sdk.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeaderMapTest {

  @Test
  void looksUpNamesWithoutCaseAndKeepsOrder() {
    HeaderMap map = HeaderMap.of("Content-Type", "text/plain", "x-a", "1", "X-A", "2");
    assertThat(map.get("content-type")).contains("text/plain");
    assertThat(map.getAll("x-a")).containsExactly("1", "2");
    assertThat(map.contains("X-a")).isTrue();
    assertThat(map.get("missing")).isEmpty();
    assertThat(map.name(0)).isEqualTo("Content-Type");
    assertThat(map.toList())
        .containsExactly(
            new HeaderMap.Header("Content-Type", "text/plain"),
            new HeaderMap.Header("x-a", "1"),
            new HeaderMap.Header("X-A", "2"));
  }

  @Test
  void valuesThatAreNotUtf8ReadWithReplacementCharacters() {
    HeaderMap map = HeaderMap.builder().add("bin", new byte[] {'a', (byte) 0xFF}).build();
    assertThat(map.get("bin")).contains("a\uFFFD");
    assertThat(map.getBytes("bin").orElseThrow()).containsExactly('a', 0xFF);
  }

  @Test
  void isImmutable() {
    byte[] value = {'v'};
    HeaderMap map = HeaderMap.builder().add("k", value).build();
    value[0] = 'x';
    map.valueBytes(0)[0] = 'y';
    assertThat(map.value(0)).isEqualTo("v");
  }

  @Test
  void builderRemovesAndSets() {
    HeaderMap map =
        HeaderMap.of("a", "1", "b", "2", "A", "3").toBuilder().remove("a").set("c", "4").build();
    assertThat(map).isEqualTo(HeaderMap.of("b", "2", "c", "4"));
    assertThat(map.toString()).isEqualTo("{b=2, c=4}");
  }

  @Test
  void rejectsOddArgumentsAndBadIndexes() {
    assertThatThrownBy(() -> HeaderMap.of("a")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HeaderMap.empty().name(0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}

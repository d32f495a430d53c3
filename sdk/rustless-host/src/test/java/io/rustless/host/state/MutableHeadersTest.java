package io.rustless.host.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.host.HeaderMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MutableHeadersTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void behavesLikeEnvoysHeaderMap() {
    MutableHeaders h = MutableHeaders.of(HeaderMap.of("X-A", "1", "x-b", "2", "X-A", "3"));
    assertThat(h.toHeaderMap()).isEqualTo(HeaderMap.of("x-a", "1", "x-b", "2", "x-a", "3"));
    assertThat(h.get("x-A")).isEqualTo(b("1"));
    h.replace("x-a", b("9"));
    assertThat(h.toHeaderMap()).isEqualTo(HeaderMap.of("x-a", "9", "x-b", "2"));
    h.add("New", b("n"));
    assertThat(h.remove("x-b")).isTrue();
    assertThat(h.remove("absent")).isFalse();
    assertThat(h.toHeaderMap()).isEqualTo(HeaderMap.of("x-a", "9", "new", "n"));
    h.replace("late", b("l"));
    assertThat(h.size()).isEqualTo(3);
  }

  @Test
  void splicesBuffersLikeProxyWasmSetBufferBytes() {
    assertThat(StreamState.splice(b("hello"), 0, Integer.MAX_VALUE, b("bye"))).isEqualTo(b("bye"));
    assertThat(StreamState.splice(b("hello"), 1, 3, b("EL"))).isEqualTo(b("hELo"));
    assertThat(StreamState.splice(b("hello"), 5, 0, b("!"))).isEqualTo(b("hello!"));
    assertThat(StreamState.splice(b("hello"), 99, 5, b("?"))).isEqualTo(b("hello?"));
  }
}

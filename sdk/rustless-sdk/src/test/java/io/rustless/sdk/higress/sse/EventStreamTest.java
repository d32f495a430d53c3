package io.rustless.sdk.higress.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventStreamTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> drain(EventStream s) {
    List<String> out = new ArrayList<>();
    for (Optional<byte[]> e = s.next(); e.isPresent(); e = s.next()) {
      out.add(new String(e.get(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void splitsOnDoubleLineFeeds() {
    EventStream s = new EventStream();
    s.update(b("event1\n\nevent2\n\n"));
    assertThat(drain(s)).containsExactly("event1", "event2");
  }

  @Test
  void acceptsMixedEndsOfLine() {
    EventStream s = new EventStream();
    s.update(b("event3\n\r\nevent4\r\n"));
    assertThat(drain(s)).containsExactly("event3", "event4");
    EventStream t = new EventStream();
    t.update(b("event5\r\nevent6\r\n\r\nevent7\r\n"));
    assertThat(drain(t)).containsExactly("event5", "event6", "event7");
  }

  @Test
  void waitsForTheRestOfAPartialEvent() {
    EventStream s = new EventStream();
    s.update(b("partial_event1"));
    assertThat(s.next()).isEmpty();
    s.update(b("\n\n"));
    assertThat(drain(s)).containsExactly("partial_event1");
  }

  @Test
  void aLoneCarriageReturnAtTheEndWaits() {
    EventStream s = new EventStream();
    s.update(b("data: a\n"));
    assertThat(s.next()).isEmpty(); // one LF ends a line, not an event
    s.update(b("\r"));
    assertThat(drain(s)).containsExactly("data: a");
    s.update(b("data: b\r"));
    assertThat(s.next()).isEmpty(); // could still become CRLF
    s.update(b("\r"));
    assertThat(drain(s)).containsExactly("data: b");
  }

  @Test
  void flushReturnsWhatIsLeft() {
    EventStream s = new EventStream();
    s.update(b("no_eol_in_this_string"));
    assertThat(s.next()).isEmpty();
    assertThat(s.pending()).isEqualTo(21);
    assertThat(s.flush()).map(String::new).contains("no_eol_in_this_string");
    assertThat(s.flush()).isEmpty();
  }

  @Test
  void eventsSplitAcrossManyChunksComeOutWhole() {
    String stream = "data: {\"a\":1}\n\ndata: {\"b\":2}\n\n: comment\ndata: [DONE]\n\n";
    EventStream s = new EventStream();
    List<String> events = new ArrayList<>();
    for (byte c : b(stream)) {
      s.update(new byte[] {c});
      events.addAll(drain(s));
    }
    assertThat(events)
        .containsExactly("data: {\"a\":1}", "data: {\"b\":2}", ": comment\ndata: [DONE]");
  }

  @Test
  void parsesFields() {
    SseEvent e =
        SseEvent.parse(
            b(
                ": keep-alive\nevent: delta\ndata: first\ndata:second\nid: 7\nretry: 1500\nfoo: bar"));
    assertThat(e.event()).isEqualTo("delta");
    assertThat(e.data()).isEqualTo("first\nsecond");
    assertThat(e.id()).isEqualTo("7");
    assertThat(e.retry()).contains(1500L);
    SseEvent plain = SseEvent.parse(b("data\r\nretry: soon"));
    assertThat(plain.data()).isEmpty();
    assertThat(plain.event()).isEmpty();
    assertThat(plain.retry()).isEmpty();
  }
}

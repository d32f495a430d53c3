package io.rustless.sdk.higress.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespValueTest {

  private static RespValue parse(String resp) {
    return RespValue.parse(resp.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void encodesCommandsAsArraysOfBulkStrings() {
    byte[] cmd =
        RespValue.encodeCommand(
            List.of(
                "SET".getBytes(StandardCharsets.UTF_8),
                "k".getBytes(StandardCharsets.UTF_8),
                "héllo".getBytes(StandardCharsets.UTF_8)));
    assertThat(new String(cmd, StandardCharsets.UTF_8))
        .isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\nhéllo\r\n");
  }

  @Test
  void parsesEveryReplyKind() {
    assertThat(parse("+OK\r\n").asString()).isEqualTo("OK");
    assertThat(parse("-ERR wrong\r\n").isError()).isTrue();
    assertThat(parse("-ERR wrong\r\n").asString()).isEqualTo("ERR wrong");
    assertThat(parse(":42\r\n").asLong()).isEqualTo(42);
    assertThat(parse("$5\r\nhello\r\n").asString()).isEqualTo("hello");
    assertThat(parse("$0\r\n\r\n").asString()).isEmpty();
    assertThat(parse("$-1\r\n").isNil()).isTrue();
    assertThat(parse("*-1\r\n").isNil()).isTrue();
    RespValue array = parse("*3\r\n:1\r\n$3\r\nabc\r\n*1\r\n+x\r\n");
    assertThat(array.asList()).hasSize(3);
    assertThat(array.asList().get(2).asList().get(0).asString()).isEqualTo("x");
    assertThat(parse("$2\r\n17\r\n").asLong()).isEqualTo(17);
    assertThat(array.toString()).isEqualTo("[(integer) 1, \"abc\", [\"x\"]]");
  }

  @Test
  void bulkStringsAreBinarySafe() {
    byte[] reply = {'$', '3', '\r', '\n', 0, '\r', (byte) 0xFF, '\r', '\n'};
    assertThat(RespValue.parse(reply).asBytes()).containsExactly(0, '\r', 0xFF);
  }

  @Test
  void rejectsWhatIsNotExactlyOneValue() {
    assertThatThrownBy(() -> parse("+OK")).hasMessageContaining("truncated RESP line");
    assertThatThrownBy(() -> parse("$10\r\nshort\r\n"))
        .hasMessageContaining("truncated bulk string");
    assertThatThrownBy(() -> parse("?x\r\n")).hasMessage("unknown RESP type byte 0x3f");
    assertThatThrownBy(() -> parse(":1\r\n:2\r\n")).hasMessageContaining("unexpected data after");
    assertThatThrownBy(() -> parse("*99999999\r\n")).isInstanceOf(RespException.class);
    assertThatThrownBy(() -> parse("$5\r\nhelloXY")).isInstanceOf(RespException.class);
    assertThatThrownBy(() -> parse("*1\r\n".repeat(100) + ":1\r\n"))
        .hasMessage("RESP nesting deeper than 64");
    assertThatThrownBy(() -> parse("+x\r\n").asLong())
        .hasMessage("expected an integer reply but got 'x'");
  }
}

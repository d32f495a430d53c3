package io.rustless.sdk.higress.sse;

import io.rustless.sdk.lang.Decimal;
import io.rustless.sdk.lang.Utf8;
import java.util.Optional;

/**
 * The fields of one server-sent event, read as the WHATWG spec says: {@code field: value} lines
 * (one space after the colon dropped), {@code data} lines joined with LF, lines starting with a
 * colon are comments, {@code retry} counts only if it is all digits.
 */
public record SseEvent(String event, String data, String id, Optional<Long> retry) {

  /** Parses one raw event, as {@link EventStream#next()} returns it. */
  public static SseEvent parse(byte[] raw) {
    String text = Utf8.decode(raw);
    String event = "";
    String id = "";
    Long retry = null;
    StringBuilder data = null;
    int start = 0;
    int len = text.length();
    while (start <= len) {
      int end = start;
      while (end < len && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
        end++;
      }
      String line = text.substring(start, end);
      if (!line.isEmpty() && line.charAt(0) != ':') {
        int colon = line.indexOf(':');
        String name = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (name) {
          case "event":
            event = value;
            break;
          case "data":
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            break;
          case "id":
            if (value.indexOf('\0') < 0) {
              id = value;
            }
            break;
          case "retry":
            if (!value.isEmpty() && isDigits(value)) {
              try {
                retry = Decimal.parseLong(value);
              } catch (NumberFormatException e) {
                // too long for a long: ignored, like any malformed retry
              }
            }
            break;
          default:
            break;
        }
      }
      if (end >= len) {
        break;
      }
      start =
          end + (text.charAt(end) == '\r' && end + 1 < len && text.charAt(end + 1) == '\n' ? 2 : 1);
    }
    return new SseEvent(event, data == null ? "" : data.toString(), id, Optional.ofNullable(retry));
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}

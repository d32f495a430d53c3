package io.rustless.sdk.higress.json;

import io.rustless.sdk.internal.Utf8;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict RFC 8259 JSON parser working directly on UTF-8 bytes.
 *
 * <p>Written for the SDK rather than taken from a library: Jackson does not compile under TeaVM,
 * and minimal-json, which does, is unmaintained since 2016 and roughly doubles a small module (see
 * the README's size table). Errors name the byte offset. Nesting is capped at {@link #MAX_DEPTH} so
 * a hostile body cannot exhaust the Wasm stack.
 */
public final class Json {
  /** The deepest nesting of arrays and objects accepted. */
  public static final int MAX_DEPTH = 128;

  private final byte[] in;
  private final int end;
  private int pos;
  private int depth;
  private final StringBuilder buf = new StringBuilder();

  private Json(byte[] in, int off, int len) {
    this.in = in;
    this.pos = off;
    this.end = off + len;
  }

  /** Parses UTF-8 JSON text. */
  public static JsonValue parse(byte[] utf8) {
    return parse(utf8, 0, utf8.length);
  }

  /** Parses {@code len} bytes of UTF-8 JSON text from {@code off}. */
  public static JsonValue parse(byte[] utf8, int off, int len) {
    Json p = new Json(utf8, off, len);
    p.skipWhitespace();
    JsonValue v = p.value();
    p.skipWhitespace();
    if (p.pos != p.end) {
      throw p.error("unexpected data after the JSON value");
    }
    return v;
  }

  /** Parses JSON text. */
  public static JsonValue parse(String text) {
    return parse(Utf8.encode(text));
  }

  private JsonValue value() {
    if (pos >= end) {
      throw error("unexpected end of input");
    }
    byte c = in[pos];
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return new JsonString(string());
      case 't':
        literal("true");
        return JsonBoolean.TRUE;
      case 'f':
        literal("false");
        return JsonBoolean.FALSE;
      case 'n':
        literal("null");
        return JsonNull.NULL;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character " + describe(c));
    }
  }

  private JsonObject object() {
    enter();
    pos++; // {
    JsonObject.Builder members = new JsonObject.Builder();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return members.build();
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a member name in double quotes");
      }
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      members.append(key, value());
      skipWhitespace();
      int c = next();
      if (c == '}') {
        depth--;
        return members.build();
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}' in object");
      }
    }
  }

  private JsonArray array() {
    enter();
    pos++; // [
    List<JsonValue> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return new JsonArray(items);
    }
    while (true) {
      skipWhitespace();
      items.add(value());
      skipWhitespace();
      int c = next();
      if (c == ']') {
        depth--;
        return new JsonArray(items);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']' in array");
      }
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
  }

  private String string() {
    pos++; // opening quote
    int start = pos;
    // fast path: plain ASCII without escapes
    while (pos < end) {
      byte c = in[pos];
      if (c == '"') {
        char[] chars = new char[pos - start];
        for (int i = 0; i < chars.length; i++) {
          chars[i] = (char) in[start + i];
        }
        pos++;
        return new String(chars);
      }
      if (c == '\\' || c < 0x20) {
        break;
      }
      pos++;
    }
    pos = start;
    buf.setLength(0);
    int runStart = pos;
    while (true) {
      if (pos >= end) {
        throw error("unterminated string");
      }
      byte c = in[pos];
      if (c == '"') {
        flushRun(runStart);
        pos++;
        return buf.toString();
      }
      if (c == '\\') {
        flushRun(runStart);
        pos++;
        escape();
        runStart = pos;
      } else if (c >= 0 && c < 0x20) {
        throw error("control character " + describe(c) + " in string");
      } else {
        pos++;
      }
    }
  }

  private void flushRun(int runStart) {
    if (pos > runStart) {
      buf.append(Utf8.decode(in, runStart, pos - runStart));
    }
  }

  private void escape() {
    int c = next();
    switch (c) {
      case '"':
        buf.append('"');
        break;
      case '\\':
        buf.append('\\');
        break;
      case '/':
        buf.append('/');
        break;
      case 'b':
        buf.append('\b');
        break;
      case 'f':
        buf.append('\f');
        break;
      case 'n':
        buf.append('\n');
        break;
      case 'r':
        buf.append('\r');
        break;
      case 't':
        buf.append('\t');
        break;
      case 'u':
        buf.append((char) hex4());
        break;
      default:
        pos--;
        throw error("invalid escape \\" + (c < 0 ? "" : describe((byte) c)));
    }
  }

  private int hex4() {
    if (pos + 4 > end) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = hexDigit(in[pos++]);
      if (d < 0) {
        pos--;
        throw error("invalid hex digit in \\u escape");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  private static int hexDigit(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private JsonNumber number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("expected a digit");
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error("expected a digit after '.'");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("expected a digit in exponent");
      }
      digits();
    }
    char[] chars = new char[pos - start];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) in[start + i];
    }
    return new JsonNumber(new String(chars));
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private void literal(String word) {
    for (int i = 0; i < word.length(); i++) {
      if (pos >= end || in[pos] != word.charAt(i)) {
        throw error("invalid literal, expected " + word);
      }
      pos++;
    }
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte c = in[pos];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        pos++;
      } else {
        return;
      }
    }
  }

  private int peek() {
    return pos < end ? in[pos] : -1;
  }

  private int next() {
    if (pos >= end) {
      throw error("unexpected end of input");
    }
    return in[pos++];
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private static String describe(byte c) {
    if (c >= 0x21 && c < 0x7F) {
      return "'" + (char) c + "'";
    }
    return "0x" + Integer.toHexString(c & 0xFF);
  }

  private JsonException error(String message) {
    return new JsonException("malformed JSON at offset " + pos + ": " + message);
  }
}

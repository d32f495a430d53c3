package io.rustless.sdk.higress.json;

import io.rustless.sdk.lang.Utf8;
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
public final class Json extends JsonLexer {
  /** The deepest nesting of arrays and objects accepted. */
  public static final int MAX_DEPTH = 128;

  private final StringBuilder buf = new StringBuilder();

  private Json(byte[] in, int off, int len) {
    super(in, off, off + len);
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

  private JsonNumber number() {
    int start = pos;
    scanNumber();
    char[] chars = new char[pos - start];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) in[start + i];
    }
    return new JsonNumber(new String(chars));
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }
}

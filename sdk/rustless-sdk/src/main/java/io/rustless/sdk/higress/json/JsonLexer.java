package io.rustless.sdk.higress.json;

/**
 * What both readers of JSON text share: {@link Json} (text into trees) and {@link JsonSelection}
 * (paths found in place). The grammar of numbers and literals, whitespace, the nesting limit, and
 * errors that name the offset.
 */
abstract class JsonLexer {
  final byte[] in;
  final int end;
  int pos;
  int depth;

  JsonLexer(byte[] in, int pos, int end) {
    this.in = in;
    this.pos = pos;
    this.end = end;
  }

  /** Counts one more level of nesting, refusing more than {@link Json#MAX_DEPTH}. */
  final void enter() {
    if (++depth > Json.MAX_DEPTH) {
      throw error("nesting deeper than " + Json.MAX_DEPTH);
    }
  }

  /** Moves past a number, checking its grammar. */
  final void scanNumber() {
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
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  final void literal(String word) {
    for (int i = 0; i < word.length(); i++) {
      if (pos >= end || in[pos] != word.charAt(i)) {
        throw error("invalid literal, expected " + word);
      }
      pos++;
    }
  }

  final void skipWhitespace() {
    while (pos < end) {
      byte c = in[pos];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        pos++;
      } else {
        return;
      }
    }
  }

  final int peek() {
    return pos < end ? in[pos] : -1;
  }

  final int next() {
    if (pos >= end) {
      throw error("unexpected end of input");
    }
    return in[pos++];
  }

  /** The value of a hex digit, or -1. */
  static int hexDigit(byte c) {
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

  static String describe(byte c) {
    if (c >= 0x21 && c < 0x7F) {
      return "'" + (char) c + "'";
    }
    return "0x" + Integer.toHexString(c & 0xFF);
  }

  final JsonException error(String message) {
    return new JsonException("malformed JSON at offset " + pos + ": " + message);
  }
}

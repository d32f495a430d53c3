package io.rustless.sdk.lang;

/**
 * UTF-8 without {@code java.nio.charset}: under TeaVM the JDK codec path (CharsetEncoder +
 * ByteBuffer) dominates per-request time and adds code size. Decoding is lenient: every malformed
 * byte becomes U+FFFD, so bytes from the wire never cause an exception.
 */
public final class Utf8 {
  private static final char REPLACEMENT = '\uFFFD';

  private Utf8() {}

  /** Decodes {@code bytes}; malformed input yields U+FFFD per bad byte. */
  public static String decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /** Decodes {@code len} bytes from {@code off}; malformed input yields U+FFFD per bad byte. */
  public static String decode(byte[] bytes, int off, int len) {
    char[] out = new char[len];
    return new String(out, 0, decode(bytes, off, len, out, 0));
  }

  /**
   * {@link #decode(byte[], int, int)} as chars, exactly as many as decoded: for code that works on
   * {@code char[]} (under TeaVM {@code String.toCharArray()} copies char by char through {@code
   * charAt}).
   */
  public static char[] decodeChars(byte[] bytes, int off, int len) {
    char[] out = new char[len];
    int n = decode(bytes, off, len, out, 0);
    return n == len ? out : java.util.Arrays.copyOf(out, n);
  }

  /**
   * Decodes {@code len} bytes from {@code off} into {@code out} at {@code at}, which has room for
   * {@code len} chars (never more are written); returns the number of chars written.
   */
  public static int decode(byte[] bytes, int off, int len, char[] out, int at) {
    int end = off + len;
    int i = off;
    while (i < end && bytes[i] >= 0) {
      i++;
    }
    int n = at;
    for (int j = off; j < i; j++) {
      out[n++] = (char) bytes[j];
    }
    while (i < end) {
      int b0 = bytes[i] & 0xFF;
      if (b0 < 0x80) {
        out[n++] = (char) b0;
        i++;
        continue;
      }
      int need;
      int cp;
      int min;
      // each ordering of b0 against a constant tested once: TeaVM keeps a comparison made twice
      // on a path as a value, which is a call
      if (b0 < 0xE0) {
        if (b0 < 0xC2) {
          out[n++] = REPLACEMENT; // a continuation byte, or an overlong lead
          i++;
          continue;
        }
        need = 1;
        cp = b0 & 0x1F;
        min = 0x80;
      } else if (b0 < 0xF0) {
        if (i + 2 < end) { // the common case (CJK): a well-formed 3-byte sequence, inline
          int b1 = bytes[i + 1];
          int b2 = bytes[i + 2];
          if (((b1 & 0xC0) | ((b2 & 0xC0) << 8)) == 0x8080) {
            int c3 = ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
            if (c3 > 0x7FF && (c3 & 0xF800) != 0xD800) {
              out[n++] = (char) c3;
              i += 3;
              continue;
            }
          }
        }
        need = 2;
        cp = b0 & 0x0F;
        min = 0x800;
      } else if (b0 < 0xF5) {
        need = 3;
        cp = b0 & 0x07;
        min = 0x10000;
      } else {
        out[n++] = REPLACEMENT;
        i++;
        continue;
      }
      if (i + need >= end) { // truncated sequence
        out[n++] = REPLACEMENT;
        i++;
        continue;
      }
      boolean ok = true;
      for (int k = 1; k <= need; k++) {
        int b = bytes[i + k] & 0xFF;
        if ((b & 0xC0) != 0x80) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (b & 0x3F);
      }
      if (!ok || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        out[n++] = REPLACEMENT;
        i++;
        continue;
      }
      if (cp >= 0x10000) {
        cp -= 0x10000;
        out[n++] = (char) (0xD800 + (cp >>> 10));
        out[n++] = (char) (0xDC00 + (cp & 0x3FF));
      } else {
        out[n++] = (char) cp;
      }
      i += need + 1;
    }
    return n - at;
  }

  /** The number of bytes {@link #encode(String, byte[], int)} writes for {@code s}. */
  public static int encodedLength(CharSequence s) {
    int len = s.length();
    int n = len;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          n += 1;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < len
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          n += 2; // 4 bytes for 2 chars
          i++;
        } else {
          n += 2;
        }
      }
    }
    return n;
  }

  /** Encodes {@code s}; unpaired surrogates become U+FFFD. */
  public static byte[] encode(CharSequence s) {
    int len = s.length();
    boolean ascii = true;
    for (int i = 0; i < len; i++) {
      if (s.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      byte[] out = new byte[len];
      for (int i = 0; i < len; i++) {
        out[i] = (byte) s.charAt(i);
      }
      return out;
    }
    byte[] out = new byte[encodedLength(s)];
    encode(s, out, 0);
    return out;
  }

  /** Encodes {@code s} into {@code dst} at {@code off}; returns the number of bytes written. */
  public static int encode(CharSequence s, byte[] dst, int off) {
    int p = off;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        dst[p++] = (byte) c;
      } else if (c < 0x800) {
        dst[p++] = (byte) (0xC0 | (c >> 6));
        dst[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < len
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          dst[p++] = (byte) (0xF0 | (cp >> 18));
          dst[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          dst[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          dst[p++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          dst[p++] = (byte) 0xEF;
          dst[p++] = (byte) 0xBF;
          dst[p++] = (byte) 0xBD;
        }
      } else {
        dst[p++] = (byte) (0xE0 | (c >> 12));
        dst[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        dst[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return p - off;
  }
}

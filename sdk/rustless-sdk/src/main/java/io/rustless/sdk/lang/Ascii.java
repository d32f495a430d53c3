package io.rustless.sdk.lang;

/**
 * ASCII-only case folding. Header names and host names are ASCII; {@code String.equalsIgnoreCase}
 * and {@code toLowerCase} would pull Unicode case tables into every module.
 */
public final class Ascii {
  private Ascii() {}

  /** {@code c} lower-cased if it is an ASCII upper-case letter. */
  public static char toLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /** Compares two strings ignoring ASCII case. */
  public static boolean equalsIgnoreCase(String a, String b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null || a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y && toLower(x) != toLower(y)) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} with ASCII upper-case letters lower-cased; returns {@code s} itself if unchanged. */
  public static String toLowerCase(String s) {
    int i = 0;
    int len = s.length();
    while (i < len) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        break;
      }
      i++;
    }
    if (i == len) {
      return s;
    }
    char[] out = s.toCharArray();
    for (; i < len; i++) {
      out[i] = toLower(out[i]);
    }
    return new String(out);
  }
}

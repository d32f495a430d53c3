package io.rustless.sdk.lang;

/**
 * Base-10 integer parsing for the SDK. TeaVM's {@code Long.parseLong} and {@code Integer.parseInt}
 * handle every radix and Unicode digit (~4.5 KB of code in every module that uses both); the SDK
 * only ever reads ASCII decimal numbers: JSON, RESP, SSE {@code retry}, HTTP status and lengths.
 */
public final class Decimal {
  private Decimal() {}

  /**
   * {@code Long.parseLong(s)} for ASCII digits: an optional {@code +} or {@code -}, then at least
   * one of {@code 0-9}.
   *
   * @throws NumberFormatException if {@code s} is not such a number or does not fit a long
   */
  public static long parseLong(String s) {
    int n = s.length();
    int i = 0;
    boolean negative = false;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    if (i == n) {
      throw invalid(s);
    }
    // accumulate negatively: Long.MIN_VALUE has no positive counterpart
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long value = 0;
    for (; i < n; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9 || value < limit / 10) {
        throw invalid(s);
      }
      value *= 10;
      if (value < limit + d) {
        throw invalid(s);
      }
      value -= d;
    }
    return negative ? value : -value;
  }

  /**
   * {@code Integer.parseInt(s)} for ASCII digits.
   *
   * @throws NumberFormatException if {@code s} is not such a number or does not fit an int
   */
  public static int parseInt(String s) {
    long v = parseLong(s);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw invalid(s);
    }
    return (int) v;
  }

  private static NumberFormatException invalid(String s) {
    return new NumberFormatException("not a decimal number in range: \"" + s + "\"");
  }
}

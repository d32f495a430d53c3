package io.rustless.build;

import java.util.Locale;

/** Byte sizes written the way people write them: {@code 4m}, {@code 512k}, {@code 1048576}. */
public final class Sizes {
  private Sizes() {}

  /** Parses {@code 123}, {@code 64k}/{@code 64kb}, {@code 4m}/{@code 4mb}, {@code 1g}. */
  public static long parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.endsWith("b") && s.length() > 1) {
      s = s.substring(0, s.length() - 1);
    }
    long unit = 1;
    char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
    if (last == 'k') {
      unit = 1L << 10;
    } else if (last == 'm') {
      unit = 1L << 20;
    } else if (last == 'g') {
      unit = 1L << 30;
    }
    if (unit != 1) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      long v = Long.parseLong(s.trim());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(v, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "not a size: '" + text + "' (write e.g. 4m, 512k or 1048576)", e);
    }
  }

  /** {@code bytes} for people: {@code 142,831 B (139.5 KiB)}. */
  public static String describe(long bytes) {
    String exact = String.format(Locale.ROOT, "%,d B", bytes);
    if (bytes < 1024) {
      return exact;
    }
    if (bytes < (1L << 20)) {
      return exact + String.format(Locale.ROOT, " (%.1f KiB)", bytes / 1024.0);
    }
    return exact + String.format(Locale.ROOT, " (%.2f MiB)", bytes / (1024.0 * 1024.0));
  }
}

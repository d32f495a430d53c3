package io.rustless.extensions.requestblock;

import java.util.List;

/**
 * Looks for byte patterns in a body that arrives in slices, including matches that straddle two
 * slices: it keeps the last {@code longest - 1} bytes seen. ASCII case is folded when matching is
 * case-insensitive (the patterns are folded already).
 */
final class BodyScanner {
  private final List<byte[]> patterns;
  private final boolean caseSensitive;
  private final int keep;
  private byte[] tail = new byte[0];
  private int scanned;

  BodyScanner(List<byte[]> patterns, boolean caseSensitive) {
    this.patterns = patterns;
    this.caseSensitive = caseSensitive;
    int longest = 0;
    for (byte[] p : patterns) {
      longest = Math.max(longest, p.length);
    }
    this.keep = Math.max(0, longest - 1);
  }

  /** Bytes of the body looked at so far. */
  int scanned() {
    return scanned;
  }

  /** Looks at the next slice; true if a pattern occurs in the body seen so far. */
  boolean feed(byte[] slice) {
    scanned += slice.length;
    byte[] window = new byte[tail.length + slice.length];
    System.arraycopy(tail, 0, window, 0, tail.length);
    System.arraycopy(slice, 0, window, tail.length, slice.length);
    if (!caseSensitive) {
      for (int i = tail.length; i < window.length; i++) {
        byte b = window[i];
        if (b >= 'A' && b <= 'Z') {
          window[i] = (byte) (b + 32);
        }
      }
    }
    for (byte[] p : patterns) {
      if (indexOf(window, p) >= 0) {
        return true;
      }
    }
    int k = Math.min(keep, window.length);
    tail = new byte[k];
    System.arraycopy(window, window.length - k, tail, 0, k);
    return false;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

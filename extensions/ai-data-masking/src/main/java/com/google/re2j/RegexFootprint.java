package com.google.re2j;

import java.util.Arrays;

/**
 * What any match of a regular expression is made of, read from re2j's parse tree (which is
 * package-private, hence this class's package): the characters a match can contain, its minimum
 * length, a set of characters of which every match contains at least one, and whether it anchors to
 * the start or end of the text.
 *
 * <p>A caller can then search only the runs of text made of those characters (plus the one
 * character on each side, so that {@code \b} and {@code (?m)^} see their true neighbours), which
 * finds exactly the matches a search of the whole text finds, far faster on prose. Sets are sorted,
 * merged code-point ranges {@code [lo0, hi0, lo1, hi1, …]}.
 */
public final class RegexFootprint {
  private static final int[] ALL = {0, Unicode.MAX_RUNE};

  private final int[] alphabet;
  private final int[] required;
  private final int minLength;
  private final boolean textAnchors;

  private RegexFootprint(int[] alphabet, int[] required, int minLength, boolean textAnchors) {
    this.alphabet = alphabet;
    this.required = required;
    this.minLength = minLength;
    this.textAnchors = textAnchors;
  }

  /**
   * The footprint of {@code regex} as {@link Pattern#compile(String)} reads it.
   *
   * @throws PatternSyntaxException if it is not a valid expression
   */
  public static RegexFootprint of(String regex) {
    Regexp re = Parser.parse(regex, RE2.PERL);
    boolean[] anchors = {false};
    int[] alphabet = alphabet(re, anchors);
    return new RegexFootprint(alphabet, required(re), minLength(re), anchors[0]);
  }

  /** Every code point a match can contain. */
  public int[] alphabet() {
    return alphabet.clone();
  }

  /** Code points of which every match contains at least one, or null if no such set was found. */
  public int[] required() {
    return required == null ? null : required.clone();
  }

  /** The fewest code points a match has. */
  public int minLength() {
    return minLength;
  }

  /** True if the expression uses {@code \A}, {@code \z}, or {@code ^}/{@code $} without (?m). */
  public boolean usesTextAnchors() {
    return textAnchors;
  }

  /** True if searching runs of the alphabet finds exactly what a whole-text search does. */
  public boolean runsAreExact() {
    return !textAnchors && minLength >= 1 && !Arrays.equals(alphabet, ALL);
  }

  private static int[] alphabet(Regexp re, boolean[] anchors) {
    switch (re.op) {
      case LITERAL:
        {
          int[] out = new int[0];
          for (int r : re.runes) {
            out = union(out, folded(r, (re.flags & RE2.FOLD_CASE) != 0));
          }
          return out;
        }
      case CHAR_CLASS:
        return normalise(re.runes);
      case ANY_CHAR_NOT_NL:
        return new int[] {0, '\n' - 1, '\n' + 1, Unicode.MAX_RUNE};
      case ANY_CHAR:
        return ALL.clone();
      case BEGIN_TEXT:
      case END_TEXT:
        anchors[0] = true;
        return new int[0];
      default:
        int[] out = new int[0];
        for (Regexp sub : subs(re)) {
          out = union(out, alphabet(sub, anchors));
        }
        return out;
    }
  }

  private static int[] required(Regexp re) {
    switch (re.op) {
      case LITERAL:
        {
          int[] best = null;
          for (int r : re.runes) {
            int[] one = folded(r, (re.flags & RE2.FOLD_CASE) != 0);
            best = better(best, one);
          }
          return best;
        }
      case CHAR_CLASS:
        return normalise(re.runes);
      case NO_MATCH:
        return new int[0];
      case CAPTURE:
      case PLUS:
        return required(re.subs[0]);
      case REPEAT:
        return re.min >= 1 ? required(re.subs[0]) : null;
      case CONCAT:
        {
          int[] best = null;
          for (Regexp sub : subs(re)) {
            best = better(best, required(sub));
          }
          return best;
        }
      case ALTERNATE:
        {
          int[] out = new int[0];
          for (Regexp sub : subs(re)) {
            int[] r = required(sub);
            if (r == null) {
              return null;
            }
            out = union(out, r);
          }
          return out;
        }
      default:
        return null;
    }
  }

  private static int minLength(Regexp re) {
    switch (re.op) {
      case LITERAL:
        return re.runes.length;
      case CHAR_CLASS:
      case ANY_CHAR:
      case ANY_CHAR_NOT_NL:
        return 1;
      case NO_MATCH:
        return Integer.MAX_VALUE;
      case CAPTURE:
      case PLUS:
        return minLength(re.subs[0]);
      case REPEAT:
        return (int) Math.min(Integer.MAX_VALUE, (long) re.min * minLength(re.subs[0]));
      case CONCAT:
        {
          long sum = 0;
          for (Regexp sub : subs(re)) {
            sum += minLength(sub);
          }
          return (int) Math.min(Integer.MAX_VALUE, sum);
        }
      case ALTERNATE:
        {
          int min = Integer.MAX_VALUE;
          for (Regexp sub : subs(re)) {
            min = Math.min(min, minLength(sub));
          }
          return min;
        }
      default:
        return 0;
    }
  }

  private static Regexp[] subs(Regexp re) {
    return re.subs == null ? Regexp.EMPTY_SUBS : re.subs;
  }

  /** The smaller set; on a tie the one with fewer letters and digits (rarer in prose). */
  private static int[] better(int[] a, int[] b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    long sa = size(a);
    long sb = size(b);
    if (sa != sb) {
      return sa < sb ? a : b;
    }
    return alnum(b) < alnum(a) ? b : a;
  }

  private static long size(int[] ranges) {
    long n = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      n += ranges[i + 1] - ranges[i] + 1;
    }
    return n;
  }

  private static int alnum(int[] ranges) {
    int n = 0;
    for (int c = '0'; c <= 'z'; c++) {
      boolean letterOrDigit = c <= '9' || (c >= 'A' && c <= 'Z') || c >= 'a';
      if (letterOrDigit && contains(ranges, c)) {
        n++;
      }
    }
    return n;
  }

  private static boolean contains(int[] ranges, int c) {
    for (int i = 0; i < ranges.length; i += 2) {
      if (c >= ranges[i] && c <= ranges[i + 1]) {
        return true;
      }
    }
    return false;
  }

  private static int[] folded(int r, boolean fold) {
    int[] out = {r, r};
    if (fold) {
      for (int f = Unicode.simpleFold(r); f != r; f = Unicode.simpleFold(f)) {
        out = union(out, new int[] {f, f});
      }
    }
    return out;
  }

  private static int[] normalise(int[] ranges) {
    return union(new int[0], ranges == null ? new int[0] : ranges);
  }

  /** The union of two range lists, sorted and merged. */
  static int[] union(int[] a, int[] b) {
    int n = (a.length + b.length) / 2;
    long[] all = new long[n];
    int k = 0;
    for (int i = 0; i < a.length; i += 2) {
      all[k++] = ((long) a[i] << 32) | (a[i + 1] & 0xFFFFFFFFL);
    }
    for (int i = 0; i < b.length; i += 2) {
      all[k++] = ((long) b[i] << 32) | (b[i + 1] & 0xFFFFFFFFL);
    }
    Arrays.sort(all);
    int[] out = new int[n * 2];
    int m = 0;
    for (long range : all) {
      int lo = (int) (range >>> 32);
      int hi = (int) range;
      if (m > 0 && lo <= out[m - 1] + 1) {
        out[m - 1] = Math.max(out[m - 1], hi);
      } else {
        out[m++] = lo;
        out[m++] = hi;
      }
    }
    return Arrays.copyOf(out, m);
  }
}

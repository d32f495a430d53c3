package io.rustless.extensions.aidatamasking;

import com.google.re2j.LazyDfa;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.RegexFootprint;
import com.google.re2j.Submatches;

/**
 * Finds the matches of one re2j pattern in a text, in order, exactly as a whole-text {@code find()}
 * loop would, but fast on prose: when the pattern's {@link RegexFootprint} allows, only the runs of
 * characters a match can be made of are searched (with one neighbour on each side), and only the
 * runs long enough and holding a character every match needs. In a run, a {@link LazyDfa} finds
 * each match's start and end; groups come from {@link Submatches}; re2j's NFA runs only when one of
 * them gives up.
 *
 * <p>All of them match in time linear in the input (no backtracking without a visited bitmap), so a
 * hostile body costs at worst a whole-text search.
 */
final class RegexFinder {
  /** Receives each match {@code [start, end)} of {@code text}. */
  interface Visitor {
    void match(char[] text, int start, int end);
  }

  private final Pattern pattern;
  private final LazyDfa dfa;
  private final Submatches submatches;
  private final boolean runs;
  private final boolean[] asciiAlphabet = new boolean[128];
  private final int[] alphabet; // char ranges above ASCII
  private final boolean[] asciiRequired;
  private final int[] required;
  private final int minLength;

  RegexFinder(String regex) {
    this(regex, 2000);
  }

  /** With at most {@code dfaStates} cached DFA states per direction (tests use tiny caches). */
  RegexFinder(String regex, int dfaStates) {
    this.pattern = Pattern.compile(regex);
    RegexFootprint f = RegexFootprint.of(regex);
    this.runs = f.runsAreExact();
    this.dfa = runs ? LazyDfa.of(regex, dfaStates) : null;
    this.submatches = Submatches.of(regex);
    this.minLength = f.minLength();
    this.alphabet = chars(f.alphabet(), asciiAlphabet);
    int[] req = f.required();
    if (req == null) {
      this.asciiRequired = null;
      this.required = null;
    } else {
      this.asciiRequired = new boolean[128];
      this.required = chars(req, asciiRequired);
    }
  }

  Pattern pattern() {
    return pattern;
  }

  /** True if searches skip text no match can be in. */
  boolean searchesRuns() {
    return runs;
  }

  /** Code-point ranges as char ranges: ASCII in a table, the rest as ranges (surrogates kept). */
  private static int[] chars(int[] ranges, boolean[] ascii) {
    int[] out = new int[ranges.length + 2];
    int n = 0;
    boolean supplementary = false;
    for (int i = 0; i < ranges.length; i += 2) {
      int lo = ranges[i];
      int hi = ranges[i + 1];
      for (int c = lo; c <= Math.min(hi, 127); c++) {
        ascii[c] = true;
      }
      if (hi >= 0x10000) {
        supplementary = true;
      }
      lo = Math.max(lo, 128);
      hi = Math.min(hi, 0xFFFF);
      if (lo <= hi) {
        out[n++] = lo;
        out[n++] = hi;
      }
    }
    if (supplementary) {
      // a code point above U+FFFF is a surrogate pair in the text: accept every surrogate
      out[n++] = 0xD800;
      out[n++] = 0xDFFF;
    }
    int[] trimmed = new int[n];
    System.arraycopy(out, 0, trimmed, 0, n);
    return trimmed;
  }

  private static boolean inRanges(char c, int[] ranges) {
    for (int i = 0; i < ranges.length; i += 2) {
      if (c < ranges[i]) {
        return false;
      }
      if (c <= ranges[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /**
   * The groups {@code [start0, end0, start1, end1, …]} of the match found at {@code [start, end)}
   * of {@code text} (-1 for a group that did not take part).
   */
  int[] groupsAt(char[] text, int start, int end) {
    int[] caps = submatches.at(text, start, end);
    if (caps != null) {
      return caps;
    }
    Matcher m = pattern.matcher(new String(text));
    if (!m.find(start) || m.start() != start || m.end() != end) {
      throw new IllegalStateException("re2j and the DFA disagree at " + start + ":" + end);
    }
    caps = new int[2 * (m.groupCount() + 1)];
    for (int g = 0; g <= m.groupCount(); g++) {
      caps[2 * g] = m.start(g);
      caps[2 * g + 1] = m.end(g);
    }
    return caps;
  }

  /** Calls {@code visitor} for every match, left to right. */
  void findAll(char[] text, Visitor visitor) {
    if (!runs) {
      Matcher m = pattern.matcher(new String(text));
      while (m.find()) {
        visitor.match(text, m.start(), m.end());
      }
      return;
    }
    int n = text.length;
    boolean[] alpha = asciiAlphabet;
    int[] ranges = alphabet;
    boolean[] asciiReq = asciiRequired;
    int[] req = required;
    int min = minLength;
    int i = 0;
    while (i < n) {
      char c = text[i];
      if (c < 128 ? !alpha[c] : !inRanges(c, ranges)) {
        i++;
        continue;
      }
      int start = i;
      boolean hasRequired = req == null;
      while (i < n) {
        c = text[i];
        if (c < 128) {
          if (!alpha[c]) {
            break;
          }
          if (!hasRequired && asciiReq[c]) {
            hasRequired = true;
          }
        } else {
          if (!inRanges(c, ranges)) {
            break;
          }
          if (!hasRequired && inRanges(c, req)) {
            hasRequired = true;
          }
        }
        i++;
      }
      if (hasRequired && i - start >= min) {
        searchRun(text, start, i, visitor);
      }
    }
  }

  /** True if a match can contain {@code c}. */
  boolean inAlphabet(char c) {
    return c < 128 ? asciiAlphabet[c] : inRanges(c, alphabet);
  }

  /** True if {@code c} is one of the characters every match needs (all are, if none is known). */
  boolean isRequired(char c) {
    if (required == null) {
      return true;
    }
    return c < 128 ? asciiRequired[c] : inRanges(c, required);
  }

  /** True if no character a match needs is known (any run of the alphabet may hold a match). */
  boolean requiresNothing() {
    return required == null;
  }

  /** True if some character above ASCII can be in a match. */
  boolean hasNonAsciiAlphabet() {
    return alphabet.length > 0;
  }

  int minLength() {
    return minLength;
  }

  /** The matches in run {@code [start, end)}: DFA first, re2j's NFA if the DFA gives up. */
  void searchRun(char[] text, int start, int end, Visitor visitor) {
    int pos = start;
    while (pos < end) {
      long found = dfa.find(text, pos, end);
      if (found == LazyDfa.NO_MATCH) {
        return;
      }
      if (found == LazyDfa.GAVE_UP) {
        int from = pos > 0 ? pos - 1 : 0;
        int to = end < text.length ? end + 1 : end;
        Matcher m = pattern.matcher(new String(text, from, to - from));
        int at = pos - from;
        while (at < to - from && m.find(at)) {
          visitor.match(text, m.start() + from, m.end() + from);
          at = m.end();
        }
        return;
      }
      int s = (int) (found >>> 32);
      int e = (int) found;
      visitor.match(text, s, e);
      pos = e;
    }
  }
}

package io.rustless.extensions.aidatamasking;

import java.util.Arrays;
import java.util.List;

/**
 * Finds, in one pass over a text, the runs every rule must search (see {@link RegexFinder}), and
 * keeps them right as earlier rules rewrite the text: runs away from a rewrite only move, the text
 * around each rewrite is scanned again. Rules therefore cost one pass over the text together, not
 * one pass each.
 */
final class MaskPlan {
  private final List<MaskRule> rules;
  private final RegexFinder[] finders;
  private final int count; // rules that search runs, at most 32 (the others scan the whole text)
  private final int[] asciiMask = new int[128]; // bit k: rule k's alphabet has the character
  private final int[] asciiRequired = new int[128];
  private final boolean nonAscii;
  // both tables in one for the scan loop (rules 0-15): mask in the low half, required in the high
  private final int[] packed = new int[128];
  private final int packedBits;

  MaskPlan(List<MaskRule> rules) {
    this.rules = rules;
    this.finders = new RegexFinder[rules.size()];
    int n = 0;
    boolean wide = false;
    for (int k = 0; k < rules.size(); k++) {
      RegexFinder f = rules.get(k).finder();
      finders[k] = f;
      if (f.searchesRuns() && k < 16) {
        n = k + 1;
        for (char c = 0; c < 128; c++) {
          if (f.inAlphabet(c)) {
            asciiMask[c] |= 1 << k;
          }
          if (f.isRequired(c)) {
            asciiRequired[c] |= 1 << k;
          }
        }
        wide |= f.hasNonAsciiAlphabet();
      }
    }
    this.nonAscii = wide;
    // the single-table scan handles 16 rules; more are rare and scanned per rule
    this.count = Math.min(n, 16);
    this.packedBits = (1 << count) - 1;
    for (char c = 0; c < 128; c++) {
      packed[c] = (asciiMask[c] & packedBits) | ((asciiRequired[c] & packedBits) << 16);
    }
  }

  /** True for rule {@code k} if its runs come from this plan. */
  boolean usesRuns(int k) {
    return k < count && finders[k].searchesRuns();
  }

  private int maskOf(char c, boolean required) {
    if (c < 128) {
      return required ? asciiRequired[c] : asciiMask[c];
    }
    if (!nonAscii) {
      return 0;
    }
    int m = 0;
    for (int k = 0; k < count; k++) {
      if (usesRuns(k) && (required ? finders[k].isRequired(c) : finders[k].inAlphabet(c))) {
        m |= 1 << k;
      }
    }
    return m;
  }

  /** The runs of every rule in {@code text}: {@code runs[k]} = [start, end, start, end, …]. */
  int[][] scan(char[] text) {
    Runs[] out = new Runs[count];
    for (int k = 0; k < count; k++) {
      out[k] = new Runs();
    }
    int[] starts = new int[count];
    int seen = 0; // bit k: the current run of rule k holds a required character
    int prev = 0;
    int n = text.length;
    int[] table = packed;
    int bits = packedBits;
    boolean wide = nonAscii;
    int i = 0;
    while (i < n) {
      // the common case without calls (TeaVM then keeps everything in locals). No ordering of
      // the same two values is tested twice on a path: TeaVM would keep that comparison as a value,
      // a call to WasmRuntime.compare per character (hence n <= i below, not i >= n)
      while (i < n) {
        char c = text[i];
        int cell;
        if (c < 128) {
          cell = table[c];
        } else if (wide) {
          break;
        } else {
          cell = 0;
        }
        if ((cell & bits) != prev) {
          break;
        }
        seen |= (cell >>> 16) & prev;
        i++;
      }
      if (n <= i) {
        break;
      }
      char c = text[i];
      int mask;
      int req;
      if (c < 128) {
        mask = table[c] & bits;
        req = table[c] >>> 16;
      } else {
        mask = maskOf(c, false);
        req = mask == 0 ? 0 : maskOf(c, true);
      }
      if (mask != prev) {
        // edge(...) written out: a call here is a shadow-stack frame at every word boundary
        int ended = prev & ~mask;
        while (ended != 0) {
          int k = Integer.numberOfTrailingZeros(ended);
          ended &= ended - 1;
          if ((seen & (1 << k)) != 0 && i - starts[k] >= finders[k].minLength()) {
            out[k].add(starts[k], i);
          }
        }
        int started = mask & ~prev;
        seen &= ~started;
        while (started != 0) {
          int k = Integer.numberOfTrailingZeros(started);
          started &= started - 1;
          starts[k] = i;
        }
        prev = mask;
      }
      seen |= req & mask;
      i++;
    }
    if (prev != 0) {
      edge(out, starts, seen, prev, 0, n);
    }
    int[][] result = new int[count][];
    for (int k = 0; k < count; k++) {
      result[k] = out[k].toArray();
    }
    return result;
  }

  /** Runs end and start at {@code i}, where the rules' alphabet membership changes. */
  private int edge(Runs[] out, int[] starts, int seen, int prev, int mask, int i) {
    int ended = prev & ~mask;
    while (ended != 0) {
      int k = Integer.numberOfTrailingZeros(ended);
      ended &= ended - 1;
      if ((seen & (1 << k)) != 0 && i - starts[k] >= finders[k].minLength()) {
        out[k].add(starts[k], i);
      }
    }
    int started = mask & ~prev;
    while (started != 0) {
      int k = Integer.numberOfTrailingZeros(started);
      started &= started - 1;
      starts[k] = i;
    }
    return seen & ~(mask & ~prev);
  }

  /**
   * Rule {@code k}'s runs after a rewrite of the text: {@code edits} = [start, end, newLength, …]
   * in the old text's coordinates (sorted, not overlapping), {@code text} the new text.
   */
  int[] remap(int k, int[] runs, int[] edits, char[] text) {
    RegexFinder f = finders[k];
    int ne = edits.length / 3;
    long[] shiftBefore = new long[ne + 1]; // total length change of edits [0, i)
    for (int i = 0; i < ne; i++) {
      shiftBefore[i + 1] = shiftBefore[i] + edits[3 * i + 2] - (edits[3 * i + 1] - edits[3 * i]);
    }
    Runs clean = new Runs();
    Runs dirty = new Runs(); // regions of the new text to scan again
    for (int i = 0; i < ne; i++) {
      int at = (int) (edits[3 * i] + shiftBefore[i]);
      dirty.add(at, at + edits[3 * i + 2]);
    }
    int e = 0;
    for (int r = 0; r < runs.length; r += 2) {
      int s = runs[r];
      int end = runs[r + 1];
      while (e < ne && edits[3 * e + 1] < s) {
        e++; // edits wholly before this run (with a separator between)
      }
      boolean touched = e < ne && edits[3 * e] <= end;
      if (!touched) {
        int shift = (int) shiftBefore[e];
        clean.add(s + shift, end + shift);
      } else {
        int from = (int) (Math.min(s, edits[3 * e]) + shiftBefore[e]);
        int last = e;
        while (last + 1 < ne && edits[3 * (last + 1)] <= end) {
          last++;
        }
        int oldEnd = Math.max(end, edits[3 * last + 1]);
        int to = (int) (oldEnd + shiftBefore[last + 1]);
        dirty.add(from, to);
      }
    }
    Runs found = new Runs();
    int[] regions = dirty.toArray();
    sortPairs(regions);
    int n = text.length;
    int scanned = 0;
    for (int i = 0; i < regions.length; i += 2) {
      int a = Math.max(regions[i], scanned);
      int b = Math.min(n, regions[i + 1]);
      while (a > 0 && a > scanned && f.inAlphabet(text[a - 1])) {
        a--;
      }
      while (b < n && f.inAlphabet(text[b])) {
        b++;
      }
      if (a >= b) {
        scanned = Math.max(scanned, b);
        continue;
      }
      int p = a;
      while (p < b) {
        if (!f.inAlphabet(text[p])) {
          p++;
          continue;
        }
        int start = p;
        boolean req = f.requiresNothing();
        while (p < n && f.inAlphabet(text[p])) {
          req |= f.isRequired(text[p]);
          p++;
        }
        if (req && p - start >= f.minLength()) {
          found.add(start, p);
        }
      }
      scanned = Math.max(scanned, p);
    }
    return merge(clean.toArray(), found.toArray());
  }

  private static int[] merge(int[] a, int[] b) {
    if (b.length == 0) {
      return a;
    }
    sortPairs(b);
    int[] out = new int[a.length + b.length];
    int i = 0;
    int j = 0;
    int m = 0;
    while (i < a.length || j < b.length) {
      boolean takeA = j >= b.length || (i < a.length && a[i] <= b[j]);
      int s = takeA ? a[i] : b[j];
      int e = takeA ? a[i + 1] : b[j + 1];
      if (takeA) {
        i += 2;
      } else {
        j += 2;
      }
      if (m > 0 && s < out[m - 1]) {
        continue; // already covered
      }
      out[m++] = s;
      out[m++] = e;
    }
    return Arrays.copyOf(out, m);
  }

  private static void sortPairs(int[] pairs) {
    int n = pairs.length / 2;
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) {
      packed[i] = ((long) pairs[2 * i] << 32) | (pairs[2 * i + 1] & 0xFFFFFFFFL);
    }
    Arrays.sort(packed);
    for (int i = 0; i < n; i++) {
      pairs[2 * i] = (int) (packed[i] >>> 32);
      pairs[2 * i + 1] = (int) packed[i];
    }
  }

  /** A growable list of int pairs. */
  static final class Runs {
    private int[] items = new int[16];
    private int size;

    void add(int start, int end) {
      add(start);
      add(end);
    }

    void add(int value) {
      if (size == items.length) {
        items = Arrays.copyOf(items, items.length * 2);
      }
      items[size++] = value;
    }

    int[] toArray() {
      return Arrays.copyOf(items, size);
    }
  }

  List<MaskRule> rules() {
    return rules;
  }
}

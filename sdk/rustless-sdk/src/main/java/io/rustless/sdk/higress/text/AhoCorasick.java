package io.rustless.sdk.higress.text;

import java.util.Arrays;
import java.util.HashMap;
import java.util.function.IntFunction;

/**
 * Finds many fixed strings in one pass over a text (Aho–Corasick): the time is linear in the text
 * whatever the number of patterns, so a list of thousands of deny words costs about what one does.
 *
 * <p>Text and patterns are UTF-16 {@code char}s. Options: {@link Builder#foldAsciiCase} (A–Z match
 * a–z) and {@link Builder#foldAsciiWhitespace} (tab, CR, LF, FF and VT match a space). Transitions
 * on ASCII characters are a dense table when it fits {@link Builder#denseLimit} (the common case:
 * words from a deny list), other characters go through a hash of the trie's edges and the failure
 * links.
 *
 * <pre>{@code
 * AhoCorasick ac = AhoCorasick.builder().foldAsciiCase(true).add("drop table").add("秘密").build();
 * ac.scan(text, 0, text.length(), (pattern, start, end) -> { ...; return true; });
 * }</pre>
 */
public final class AhoCorasick {
  private static final int NONE = -1;

  /** Dense cells hold the target state, with REPORTS set when it ends some pattern. */
  private static final int REPORTS = 1 << 30;

  private static final int STATE = REPORTS - 1;

  private final String[] patterns;
  private final int[] lengths;
  private final int maxLength;
  private final char[] fold; // normalisation of the 128 ASCII characters
  private final int[] asciiClass; // normalised ASCII character -> dense column (0: in no pattern)
  private final int rowBits; // a dense row is 1 << rowBits cells (the classes, rounded up)
  // (state << rowBits) + class -> (target << rowBits), or null: rows, not states, so that the
  // scan's step is a load and an add (no multiply on the chain from one character to the next)
  private final int[] dense;
  private final int[] fail;
  private final int[] report; // first state on the failure chain (self included) ending a pattern
  private final int[] dict; // next such state after this one
  private final int[] out; // pattern ending exactly at this state, or NONE
  private final long[] edgeKeys;
  private final int[] edgeValues;
  private final int edgeMask;
  // bit c set: some pattern contains char c (>= 128); ints, as TeaVM compares longs by a call
  private final int[] used;
  // the trie's edges per state, sorted by character (for the scan; the hash serves the build)
  private final int[] childStart;
  private final char[] childLabel;
  private final int[] childTarget;
  private final int[] rootGoto; // the root's transition on every char, if patterns go beyond ASCII

  private AhoCorasick(Builder b) {
    this.patterns = Arrays.copyOf(b.patterns, b.count);
    this.lengths = new int[b.count];
    int max = 0;
    for (int i = 0; i < b.count; i++) {
      lengths[i] = b.normalised[i].length();
      max = Math.max(max, lengths[i]);
    }
    this.maxLength = max;
    this.fold = b.fold();
    // the trie
    Trie t = new Trie();
    for (int i = 0; i < b.count; i++) {
      t.insert(b.normalised[i], i);
    }
    int states = t.states;
    this.out = Arrays.copyOf(t.out, states);
    this.edgeKeys = t.keys;
    this.edgeValues = t.values;
    this.edgeMask = t.keys.length - 1;
    this.used = t.usedChars;
    childStart = new int[states + 1];
    childLabel = new char[t.edges];
    childTarget = new int[t.edges];
    int at = 0;
    for (int st = 0; st < states; st++) {
      childStart[st] = at;
      for (int e = t.firstChild[st]; e != NONE; e = t.nextSibling[e]) {
        // insertion by label: children lists are short
        int j = at++;
        while (j > childStart[st] && childLabel[j - 1] > t.label[e]) {
          childLabel[j] = childLabel[j - 1];
          childTarget[j] = childTarget[j - 1];
          j--;
        }
        childLabel[j] = t.label[e];
        childTarget[j] = t.childState[e];
      }
    }
    childStart[states] = at;
    boolean wide = false;
    for (int w : used) {
      wide |= w != 0;
    }
    if (wide) {
      rootGoto = new int[65536];
      for (int e = childStart[0]; e < childStart[1]; e++) {
        rootGoto[childLabel[e]] = childTarget[e];
      }
    } else {
      rootGoto = null;
    }
    // dense columns for the ASCII characters the patterns use
    asciiClass = new int[128];
    int k = 1;
    for (int c = 0; c < 128; c++) {
      if (fold[c] == c && t.usesAscii[c]) {
        asciiClass[c] = k++;
      }
    }
    for (int c = 0; c < 128; c++) {
      asciiClass[c] = asciiClass[fold[c]];
    }
    int bits = 32 - Integer.numberOfLeadingZeros(k - 1);
    this.rowBits = bits;
    long cells = (long) states << bits;
    this.dense = cells <= Math.min(b.denseLimit, REPORTS) ? new int[(int) cells] : null;
    // breadth-first: failure links, dictionary links, dense rows
    fail = new int[states];
    report = new int[states];
    dict = new int[states];
    int[] queue = new int[states];
    int head = 0;
    int tail = 0;
    queue[tail++] = 0;
    report[0] = out[0];
    dict[0] = NONE;
    while (head < tail) {
      int u = queue[head++];
      for (int e = t.firstChild[u]; e != NONE; e = t.nextSibling[e]) {
        int v = t.childState[e];
        char c = t.label[e];
        int f = 0;
        if (u != 0) {
          f = fail[u];
          while (true) {
            int g = edge(f, c);
            if (g != NONE) {
              f = g;
              break;
            }
            if (f == 0) {
              break;
            }
            f = fail[f];
          }
        }
        fail[v] = f;
        dict[v] = out[f] != NONE ? f : dict[f];
        report[v] = out[v] != NONE ? v : dict[v];
        queue[tail++] = v;
      }
      if (dense != null) {
        int row = u << bits;
        for (int c = 0; c < 128; c++) {
          if (fold[c] != c || asciiClass[c] == 0) {
            continue;
          }
          int g = edge(u, (char) c);
          dense[row + asciiClass[c]] =
              g != NONE
                  ? (g << bits) | (report[g] != NONE ? REPORTS : 0)
                  : (u == 0 ? 0 : dense[(fail[u] << bits) + asciiClass[c]]);
        }
      }
    }
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The number of distinct patterns. */
  public int size() {
    return patterns.length;
  }

  /** Pattern {@code id} as first added. */
  public String pattern(int id) {
    return patterns[id];
  }

  /** The length of pattern {@code id} in chars. */
  public int length(int id) {
    return lengths[id];
  }

  /** The length of the longest pattern (0 if none). */
  public int maxLength() {
    return maxLength;
  }

  /** Receives one occurrence: pattern {@code id} at {@code [start, end)}. */
  @FunctionalInterface
  public interface MatchHandler {
    /** Returns false to stop the scan. */
    boolean onMatch(int pattern, int start, int end);
  }

  /**
   * Reports every occurrence of every pattern in {@code text[from, to)}, by increasing end and, at
   * one end, longest first. Returns true if the handler stopped the scan.
   */
  public boolean scan(String text, int from, int to, MatchHandler handler) {
    char[] chars = new char[to - from];
    text.getChars(from, to, chars, 0);
    return scan(chars, 0, chars.length, from, handler);
  }

  /** {@link #scan(String, int, int, MatchHandler)} over a char array. */
  public boolean scan(char[] text, int from, int to, MatchHandler handler) {
    return scan(text, from, to, 0, handler);
  }

  /** The scan loop; {@code shift} is added to the positions reported. */
  private boolean scan(char[] text, int from, int to, int shift, MatchHandler handler) {
    if (patterns.length == 0) {
      return false;
    }
    int s = 0;
    int[] d = dense;
    int bits = rowBits;
    int[] cls = asciiClass;
    int[] u = used;
    boolean wide = rootGoto != null;
    int i = from;
    while (i < to) {
      // the common case without calls (TeaVM then keeps everything in locals): dense ASCII
      // transitions, characters no pattern has, and the trie walk of next(s, c) for the others
      // (with a root table), with nothing to report
      if (d != null) {
        int row = s << bits;
        while (i < to) {
          char c = text[i];
          if (c < 128) {
            int cell = d[row + cls[c]];
            if ((cell & REPORTS) != 0) {
              break;
            }
            row = cell;
          } else if ((u[c >>> 5] & (1 << c)) == 0) {
            row = 0;
          } else if (wide) {
            // the trie's tables are read through this, not held in locals: TeaVM stores every
            // object a loop holds to its shadow stack on every iteration
            int target;
            walk:
            {
              for (int t = row >>> bits; t != 0; t = fail[t]) {
                int end = childStart[t + 1];
                for (int e = childStart[t]; e < end; e++) {
                  char l = childLabel[e];
                  if (l == c) {
                    target = childTarget[e];
                    break walk;
                  }
                  if (c < l) { // not l > c: TeaVM would keep l == c as a value (a call)
                    break;
                  }
                }
              }
              target = rootGoto[c];
            }
            if (report[target] != NONE) {
              break; // row unchanged: the step below takes it again and reports
            }
            row = target << bits;
          } else {
            break;
          }
          i++;
        }
        s = row >>> bits;
        if (to <= i) { // not i >= to: TeaVM would keep the loop's i < to as a value (a call)
          return false;
        }
      }
      char c = text[i];
      if (c < 128) {
        s = d != null ? (d[(s << bits) + cls[c]] & STATE) >>> bits : next(s, fold[c]);
      } else if ((u[c >>> 5] & (1 << c)) == 0) {
        s = 0;
      } else {
        s = next(s, c);
      }
      if (report(s, i, shift, handler)) {
        return true;
      }
      i++;
    }
    return false;
  }

  /** Reports what ends in state {@code s} at {@code i}; true if the handler stopped the scan. */
  private boolean report(int s, int i, int shift, MatchHandler handler) {
    int r = report[s];
    while (r != NONE) {
      int id = out[r];
      if (!handler.onMatch(id, i + 1 - lengths[id] + shift, i + 1 + shift)) {
        return true;
      }
      r = dict[r];
    }
    return false;
  }

  /** True if some pattern occurs in {@code text}. */
  public boolean containsAny(String text) {
    return scan(text, 0, text.length(), (id, start, end) -> false);
  }

  /**
   * The leftmost-longest non-overlapping occurrences in {@code text[from, to)}: from the left, at
   * each position the longest pattern starting there, then on after it. Flattened as {@code
   * [pattern, start, end, pattern, start, end, …]}.
   */
  public int[] leftmostLongest(String text, int from, int to) {
    char[] chars = new char[to - from];
    text.getChars(from, to, chars, 0);
    int[] m = leftmostLongest(chars, 0, chars.length);
    for (int i = 1; i < m.length; i++) {
      if (i % 3 != 0) {
        m[i] += from;
      }
    }
    return m;
  }

  /** {@link #leftmostLongest(String, int, int)} over a char array. */
  public int[] leftmostLongest(char[] text, int from, int to) {
    int[][] found = {new int[48]};
    int[] n = {0};
    scan(
        text,
        from,
        to,
        (id, start, end) -> {
          if (n[0] + 3 > found[0].length) {
            found[0] = Arrays.copyOf(found[0], found[0].length * 2);
          }
          found[0][n[0]++] = id;
          found[0][n[0]++] = start;
          found[0][n[0]++] = end;
          return true;
        });
    int count = n[0] / 3;
    if (count == 0) {
      return new int[0];
    }
    int[] all = found[0];
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    sort(order, new int[count], 0, count, all);
    int[] result = new int[count * 3];
    int m = 0;
    int lastEnd = Integer.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      int o = order[i] * 3;
      if (all[o + 1] >= lastEnd) {
        result[m++] = all[o];
        result[m++] = all[o + 1];
        result[m++] = all[o + 2];
        lastEnd = all[o + 2];
      }
    }
    return Arrays.copyOf(result, m);
  }

  /**
   * {@code text} with the leftmost-longest occurrences replaced by {@code replacement} of their
   * pattern id ({@code null}: leave that one); {@code text} itself if nothing was replaced.
   */
  public String replace(String text, IntFunction<String> replacement) {
    int[] matches = leftmostLongest(text, 0, text.length());
    if (matches.length == 0) {
      return text;
    }
    StringBuilder sb = null;
    int last = 0;
    for (int i = 0; i < matches.length; i += 3) {
      String r = replacement.apply(matches[i]);
      if (r == null) {
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(text.length() + 16);
      }
      sb.append(text, last, matches[i + 1]).append(r);
      last = matches[i + 2];
    }
    if (sb == null) {
      return text;
    }
    return sb.append(text, last, text.length()).toString();
  }

  /** Merge sort of match indexes by start ascending, then end descending. */
  private static void sort(int[] a, int[] tmp, int lo, int hi, int[] m) {
    if (hi - lo < 2) {
      return;
    }
    int mid = (lo + hi) >>> 1;
    sort(a, tmp, lo, mid, m);
    sort(a, tmp, mid, hi, m);
    int i = lo;
    int j = mid;
    int k = lo;
    while (i < mid && j < hi) {
      tmp[k++] = before(a[j], a[i], m) ? a[j++] : a[i++];
    }
    while (i < mid) {
      tmp[k++] = a[i++];
    }
    while (j < hi) {
      tmp[k++] = a[j++];
    }
    System.arraycopy(tmp, lo, a, lo, hi - lo);
  }

  private static boolean before(int x, int y, int[] m) {
    int sx = m[x * 3 + 1];
    int sy = m[y * 3 + 1];
    return sx < sy || (sx == sy && m[x * 3 + 2] > m[y * 3 + 2]);
  }

  /** The transition of state {@code s} on {@code c}, following failure links (the scan). */
  private int next(int s, char c) {
    while (s != 0) {
      int from = childStart[s];
      int to = childStart[s + 1];
      for (int e = from; e < to; e++) {
        char l = childLabel[e];
        if (l == c) {
          return childTarget[e];
        }
        if (c < l) { // not l > c: TeaVM would keep l == c as a value, a call to compare it
          break;
        }
      }
      s = fail[s];
    }
    if (rootGoto != null) {
      return rootGoto[c];
    }
    int g = edge(0, c);
    return g == NONE ? 0 : g;
  }

  private int edge(int state, char c) {
    long key = ((long) state << 16) | c;
    int i = hash(key) & edgeMask;
    while (true) {
      long k = edgeKeys[i];
      if (k == key) {
        return edgeValues[i];
      }
      if (k == -1L) {
        return NONE;
      }
      i = (i + 1) & edgeMask;
    }
  }

  static int hash(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** Collects patterns for an {@link AhoCorasick}. */
  public static final class Builder {
    private boolean foldCase;
    private boolean foldWhitespace;
    private long denseLimit = 1 << 20;
    private String[] patterns = new String[16];
    private String[] normalised = new String[16];
    private int count;
    private final HashMap<String, Integer> ids = new HashMap<>();

    private Builder() {}

    /** A–Z match a–z (other letters are compared as they are). Set before adding patterns. */
    public Builder foldAsciiCase(boolean fold) {
      requireEmpty();
      this.foldCase = fold;
      return this;
    }

    /** Tab, CR, LF, FF and VT match a space. Set before adding patterns. */
    public Builder foldAsciiWhitespace(boolean fold) {
      requireEmpty();
      this.foldWhitespace = fold;
      return this;
    }

    /**
     * The most cells (states × the ASCII characters in use plus one, rounded up to a power of two)
     * of the dense transition table; above it, ASCII transitions go through the hash too (slower,
     * smaller). Default 1,048,576 (4 MiB).
     */
    public Builder denseLimit(long cells) {
      this.denseLimit = cells;
      return this;
    }

    private void requireEmpty() {
      if (count > 0) {
        throw new IllegalStateException("set folding options before adding patterns");
      }
    }

    /** Adds {@code pattern} (not empty). */
    public Builder add(String pattern) {
      addPattern(pattern);
      return this;
    }

    /** Adds {@code pattern} (not empty); returns its id, the earlier one if already added. */
    public int addPattern(String pattern) {
      if (pattern == null || pattern.isEmpty()) {
        throw new IllegalArgumentException("an Aho-Corasick pattern must not be empty");
      }
      char[] f = fold();
      char[] chars = pattern.toCharArray();
      for (int i = 0; i < chars.length; i++) {
        if (chars[i] < 128) {
          chars[i] = f[chars[i]];
        }
      }
      String n = new String(chars);
      Integer known = ids.get(n);
      if (known != null) {
        return known;
      }
      ids.put(n, count);
      if (count == patterns.length) {
        patterns = Arrays.copyOf(patterns, count * 2);
        normalised = Arrays.copyOf(normalised, count * 2);
      }
      patterns[count] = pattern;
      normalised[count] = n;
      return count++;
    }

    /** Adds every pattern of {@code all}. */
    public Builder addAll(Iterable<String> all) {
      for (String p : all) {
        add(p);
      }
      return this;
    }

    public AhoCorasick build() {
      return new AhoCorasick(this);
    }

    char[] fold() {
      char[] f = new char[128];
      for (int c = 0; c < 128; c++) {
        char x = (char) c;
        if (foldCase && x >= 'A' && x <= 'Z') {
          x = (char) (x + 32);
        }
        if (foldWhitespace && (x == '\t' || x == '\n' || x == '\r' || x == '\f' || x == 0x0B)) {
          x = ' ';
        }
        f[c] = x;
      }
      return f;
    }
  }

  /** The trie under construction: states, child lists, and every edge in a hash. */
  private static final class Trie {
    int states = 1;
    int[] out = {NONE};
    int[] firstChild = {NONE};
    int edges;
    int[] nextSibling = new int[16];
    int[] childState = new int[16];
    char[] label = new char[16];
    long[] keys = newKeys(64);
    int[] values = new int[64];
    final boolean[] usesAscii = new boolean[128];
    final int[] usedChars = new int[2048];

    private static long[] newKeys(int n) {
      long[] k = new long[n];
      Arrays.fill(k, -1L);
      return k;
    }

    void insert(String p, int id) {
      int s = 0;
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        if (c < 128) {
          usesAscii[c] = true;
        } else {
          usedChars[c >>> 5] |= 1 << c;
        }
        int g = get(s, c);
        if (g == NONE) {
          g = newState();
          addEdge(s, c, g);
        }
        s = g;
      }
      out[s] = id;
    }

    private int newState() {
      if (states == out.length) {
        int n = states * 2;
        out = Arrays.copyOf(out, n);
        firstChild = Arrays.copyOf(firstChild, n);
      }
      out[states] = NONE;
      firstChild[states] = NONE;
      return states++;
    }

    private void addEdge(int from, char c, int to) {
      if (edges == nextSibling.length) {
        int n = edges * 2;
        nextSibling = Arrays.copyOf(nextSibling, n);
        childState = Arrays.copyOf(childState, n);
        label = Arrays.copyOf(label, n);
      }
      nextSibling[edges] = firstChild[from];
      childState[edges] = to;
      label[edges] = c;
      firstChild[from] = edges;
      edges++;
      if (edges * 2 > keys.length) {
        rehash();
      }
      put(((long) from << 16) | c, to);
    }

    private int get(int state, char c) {
      long key = ((long) state << 16) | c;
      int mask = keys.length - 1;
      int i = hash(key) & mask;
      while (keys[i] != -1L) {
        if (keys[i] == key) {
          return values[i];
        }
        i = (i + 1) & mask;
      }
      return NONE;
    }

    private void put(long key, int value) {
      int mask = keys.length - 1;
      int i = hash(key) & mask;
      while (keys[i] != -1L && keys[i] != key) {
        i = (i + 1) & mask;
      }
      keys[i] = key;
      values[i] = value;
    }

    private void rehash() {
      long[] oldKeys = keys;
      int[] oldValues = values;
      keys = newKeys(oldKeys.length * 2);
      values = new int[oldKeys.length * 2];
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != -1L) {
          put(oldKeys[i], oldValues[i]);
        }
      }
    }
  }
}

package com.google.re2j;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds where the leftmost-first match of a regular expression starts and ends with two lazily
 * built DFAs over re2j's compiled programs (which are package-private, hence this package), the way
 * RE2 itself does: a forward DFA finds the end of the match, a DFA for the reversed expression, run
 * backwards from that end with longest-match semantics, finds its start. Each text character then
 * costs a table lookup instead of re2j's NFA simulation (a step per live thread).
 *
 * <p>Semantics are re2j's (Perl leftmost-first): the same thread priorities, the same ASCII {@code
 * \b}, the same line and text anchors, evaluated with the real characters around the searched
 * range. States are built on demand and capped; past the cap the cache is dropped and {@link #find}
 * returns {@link #GAVE_UP} so the caller can use re2j's NFA for that search (time stays linear
 * either way).
 */
public final class LazyDfa {
  /** {@link #find} found no match. */
  public static final long NO_MATCH = -1L;

  /** {@link #find} ran out of cache: search this range with re2j instead. */
  public static final long GAVE_UP = -2L;

  private final Engine forward;
  private final Engine reverse;

  private LazyDfa(Prog forward, Prog reverse, int maxStates) {
    this.forward = new Engine(forward, false, false, maxStates);
    this.reverse = new Engine(reverse, true, true, maxStates);
  }

  /** A DFA pair for {@code regex} as {@link Pattern#compile(String)} reads it. */
  public static LazyDfa of(String regex) {
    return of(regex, 2000);
  }

  /** {@link #of(String)} with at most {@code maxStates} cached states per direction. */
  public static LazyDfa of(String regex, int maxStates) {
    Regexp re = Simplify.simplify(Parser.parse(regex, RE2.PERL));
    Prog fwd = Compiler.compileRegexp(re);
    Prog rev = Compiler.compileRegexp(reversed(re));
    return new LazyDfa(fwd, rev, maxStates);
  }

  /**
   * The leftmost-first match that starts at or after {@code from} and ends at or before {@code to},
   * as {@code (start << 32) | end}; {@link #NO_MATCH}; or {@link #GAVE_UP}. Characters outside
   * {@code [from, to)} are read only as the context of {@code \b}, {@code ^} and {@code $} (a
   * caller must make sure no match it wants could extend past {@code to}).
   */
  public long find(char[] text, int from, int to) {
    int end = forward.scanForward(text, from, to);
    if (end < 0) {
      return end == Engine.GAVE_UP ? GAVE_UP : NO_MATCH;
    }
    int start = reverse.scanBackward(text, end, from);
    if (start < 0) {
      return GAVE_UP; // cannot happen unless the cache overflowed
    }
    return ((long) start << 32) | end;
  }

  /** The expression reversed: concatenations and literals backwards, line/text anchors swapped. */
  static Regexp reversed(Regexp re) {
    Regexp out = new Regexp(re);
    switch (re.op) {
      case LITERAL:
        {
          int[] r = re.runes.clone();
          for (int i = 0, j = r.length - 1; i < j; i++, j--) {
            int t = r[i];
            r[i] = r[j];
            r[j] = t;
          }
          out.runes = r;
          return out;
        }
      case BEGIN_LINE:
        out.op = Regexp.Op.END_LINE;
        return out;
      case END_LINE:
        out.op = Regexp.Op.BEGIN_LINE;
        return out;
      case BEGIN_TEXT:
        out.op = Regexp.Op.END_TEXT;
        return out;
      case END_TEXT:
        out.op = Regexp.Op.BEGIN_TEXT;
        return out;
      default:
        if (re.subs != null && re.subs.length > 0) {
          Regexp[] subs = new Regexp[re.subs.length];
          for (int i = 0; i < subs.length; i++) {
            subs[i] = reversed(re.subs[i]);
          }
          if (re.op == Regexp.Op.CONCAT) {
            for (int i = 0, j = subs.length - 1; i < j; i++, j--) {
              Regexp t = subs[i];
              subs[i] = subs[j];
              subs[j] = t;
            }
          }
          out.subs = subs;
        }
        return out;
    }
  }

  /** One direction's lazily built DFA. */
  private static final class Engine {
    static final int GAVE_UP = -2;
    private static final int UNKNOWN = -1;
    // state flags
    private static final int PREV_WORD = 1;
    private static final int PREV_NL = 2;
    private static final int PREV_BEGIN = 4;
    private static final int MATCHED = 8;
    private static final int PENDING_START = 16;

    private final Prog prog;
    private final boolean anchored;
    private final boolean longest;
    private final int maxStates;
    // character classes: boundaries[i] is the first code point of class i
    private final int[] boundaries;
    private final int[] asciiClass = new int[128];
    private final int classes; // + 1 column for "end of text"
    private final int[] representative;
    // the cache
    private int[] trans; // state * (classes + 1) + class -> (next << 1) | matchHere, or UNKNOWN
    private int[][] insts;
    private int[] flags;
    private int states;
    private final Map<Key, Integer> ids = new HashMap<>();
    // the start state for each flags value, or -1: every searched run begins with one, and a
    // lookup in ids costs a key, an array and a hash
    private final int[] startStates = new int[32];
    // scratch
    private final int[] stack;
    private final int[] seenAt;
    private int seenMark;
    private int[] list;
    private int[] next;

    Engine(Prog prog, boolean anchored, boolean longest, int maxStates) {
      this.prog = prog;
      this.anchored = anchored;
      this.longest = longest;
      this.maxStates = maxStates;
      int n = prog.numInst();
      this.stack = new int[n + 1];
      this.seenAt = new int[n];
      this.list = new int[n];
      this.next = new int[n];
      this.boundaries = boundaries(prog);
      this.classes = boundaries.length;
      this.representative = boundaries;
      for (int c = 0; c < 128; c++) {
        asciiClass[c] = classOf(c);
      }
      reset();
    }

    private void reset() {
      states = 0;
      ids.clear();
      Arrays.fill(startStates, -1);
      trans = new int[64 * (classes + 1)];
      Arrays.fill(trans, UNKNOWN);
      insts = new int[64][];
      flags = new int[64];
    }

    /** Code points where some instruction, \b, or the newline changes its answer. */
    private static int[] boundaries(Prog prog) {
      Points b = new Points();
      for (int x :
          new int[] {0, '\n', '\n' + 1, '0', '9' + 1, 'A', 'Z' + 1, '_', '_' + 1, 'a', 'z' + 1}) {
        b.add(x);
      }
      for (int pc = 0; pc < prog.numInst(); pc++) {
        Inst i = prog.inst[pc];
        if (i.op == Inst.RUNE || i.op == Inst.RUNE1) {
          int[] r = i.runes;
          if (r.length == 1) {
            addPoint(b, r[0]);
            if (i.op == Inst.RUNE && (i.arg & RE2.FOLD_CASE) != 0) {
              for (int f = Unicode.simpleFold(r[0]); f != r[0]; f = Unicode.simpleFold(f)) {
                addPoint(b, f);
              }
            }
          } else {
            for (int k = 0; k < r.length; k += 2) {
              b.add(r[k]);
              if (r[k + 1] < Unicode.MAX_RUNE) {
                b.add(r[k + 1] + 1);
              }
            }
          }
        }
      }
      return b.sorted();
    }

    private static void addPoint(Points b, int r) {
      b.add(r);
      if (r < Unicode.MAX_RUNE) {
        b.add(r + 1);
      }
    }

    private int classOf(int rune) {
      int lo = 0;
      int hi = boundaries.length - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (boundaries[mid] <= rune) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return lo;
    }

    private static boolean isWord(int r) {
      return (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_';
    }

    private static int flagsBefore(int rune) {
      if (rune < 0) {
        return PREV_BEGIN;
      }
      return (isWord(rune) ? PREV_WORD : 0) | (rune == '\n' ? PREV_NL : 0);
    }

    /** The end of the leftmost-first match in [from, to], or -1, or GAVE_UP. */
    int scanForward(char[] text, int from, int to) {
      int n = text.length;
      int prev = from > 0 ? Character.codePointBefore(text, from) : -1;
      int s = start(flagsBefore(prev) | (anchored ? PENDING_START : 0));
      if (s < 0) {
        return GAVE_UP;
      }
      int last = -1;
      int cols = classes + 1;
      int p = from;
      while (true) {
        int k;
        int width = 1;
        if (p < n) {
          char c = text[p];
          if (c < 128) {
            k = asciiClass[c];
          } else {
            int cp = Character.codePointAt(text, p);
            width = Character.charCount(cp);
            k = classOf(cp);
          }
        } else {
          k = classes; // end of text
        }
        int t = trans[s * cols + k];
        if (t == UNKNOWN) {
          t = compute(s, k);
          if (t == GAVE_UP) {
            return GAVE_UP;
          }
        }
        if ((t & 1) != 0) {
          last = p;
        }
        if (p >= to || p >= n) {
          return last;
        }
        s = t >>> 1;
        if (insts[s].length == 0 && (flags[s] & MATCHED) != 0) {
          return last; // a match, and no better one can come
        }
        if (anchored && insts[s].length == 0) {
          return last;
        }
        p += width;
      }
    }

    /**
     * Longest match of the (reversed) program read backwards from {@code end} down to {@code low}.
     */
    int scanBackward(char[] text, int end, int low) {
      int n = text.length;
      int prev = end < n ? Character.codePointAt(text, end) : -1;
      int s = start(flagsBefore(prev) | (anchored ? PENDING_START : 0));
      if (s < 0) {
        return GAVE_UP;
      }
      int last = -1;
      int cols = classes + 1;
      int p = end; // the position between text[p-1] and text[p]
      while (true) {
        int k;
        int width = 1;
        if (p > 0) {
          char c = text[p - 1];
          if (c < 128) {
            k = asciiClass[c];
          } else {
            int cp = Character.codePointBefore(text, p);
            width = Character.charCount(cp);
            k = classOf(cp);
          }
        } else {
          k = classes;
        }
        int t = trans[s * cols + k];
        if (t == UNKNOWN) {
          t = compute(s, k);
          if (t == GAVE_UP) {
            return GAVE_UP;
          }
        }
        if ((t & 1) != 0) {
          last = p;
        }
        if (p <= low || p <= 0) {
          return last;
        }
        s = t >>> 1;
        if (insts[s].length == 0) {
          return last;
        }
        p -= width;
      }
    }

    /** Builds the transition of state {@code s} on class {@code k} (k == classes: end of text). */
    private int compute(int s, int k) {
      int f = flags[s];
      int rune = k == classes ? -1 : representative[k];
      int cond = 0;
      if ((f & PREV_BEGIN) != 0) {
        cond |= Utils.EMPTY_BEGIN_TEXT | Utils.EMPTY_BEGIN_LINE;
      }
      if ((f & PREV_NL) != 0) {
        cond |= Utils.EMPTY_BEGIN_LINE;
      }
      if (rune < 0) {
        cond |= Utils.EMPTY_END_TEXT | Utils.EMPTY_END_LINE;
      } else if (rune == '\n') {
        cond |= Utils.EMPTY_END_LINE;
      }
      boolean prevWord = (f & PREV_WORD) != 0;
      boolean nextWord = rune >= 0 && isWord(rune);
      cond |= prevWord != nextWord ? Utils.EMPTY_WORD_BOUNDARY : Utils.EMPTY_NO_WORD_BOUNDARY;
      // close the threads, in priority order, then the start thread (lowest priority)
      seenMark++;
      if (seenMark == Integer.MAX_VALUE) {
        Arrays.fill(seenAt, 0);
        seenMark = 1;
      }
      int size = 0;
      for (int pc : insts[s]) {
        size = close(pc, cond, size);
      }
      boolean addStart = anchored ? (f & PENDING_START) != 0 : (f & MATCHED) == 0;
      if (addStart) {
        size = close(prog.start, cond, size);
      }
      // step over the character
      boolean matchHere = false;
      int m = 0;
      for (int i = 0; i < size; i++) {
        Inst inst = prog.inst[list[i]];
        if (inst.op == Inst.MATCH) {
          matchHere = true;
          if (!longest) {
            break; // lower-priority threads can only find worse matches
          }
          continue;
        }
        if (rune < 0) {
          continue;
        }
        boolean ok;
        switch (inst.op) {
          case Inst.RUNE:
            ok = inst.matchRune(rune);
            break;
          case Inst.RUNE1:
            ok = rune == inst.runes[0];
            break;
          case Inst.RUNE_ANY:
            ok = true;
            break;
          case Inst.RUNE_ANY_NOT_NL:
            ok = rune != '\n';
            break;
          default:
            ok = false;
        }
        if (ok) {
          int out = inst.out;
          boolean dup = false;
          for (int j = 0; j < m; j++) {
            if (next[j] == out) {
              dup = true;
              break;
            }
          }
          if (!dup) {
            next[m++] = out;
          }
        }
      }
      int nf = flagsBefore(rune) & ~PREV_BEGIN;
      if ((f & MATCHED) != 0 || matchHere) {
        nf |= MATCHED;
      }
      int target = rune < 0 ? s : state(Arrays.copyOf(next, m), nf);
      if (target < 0) {
        reset();
        return GAVE_UP;
      }
      int t = (target << 1) | (matchHere ? 1 : 0);
      trans[s * (classes + 1) + k] = t;
      return t;
    }

    /** Adds the threads {@code pc} leads to under {@code cond} to the list; returns its size. */
    private int close(int pc0, int cond, int size) {
      int sp = 0;
      stack[sp++] = pc0;
      while (sp > 0) {
        int pc = stack[--sp];
        if (pc == 0 || seenAt[pc] == seenMark) {
          continue;
        }
        seenAt[pc] = seenMark;
        Inst inst = prog.inst[pc];
        switch (inst.op) {
          case Inst.FAIL:
            break;
          case Inst.ALT:
          case Inst.ALT_MATCH:
            stack[sp++] = inst.arg; // explored after out: lower priority
            stack[sp++] = inst.out;
            break;
          case Inst.EMPTY_WIDTH:
            if ((inst.arg & ~cond) == 0) {
              stack[sp++] = inst.out;
            }
            break;
          case Inst.NOP:
          case Inst.CAPTURE:
            stack[sp++] = inst.out;
            break;
          default:
            list[size++] = pc;
        }
      }
      return size;
    }

    /** The state with no threads yet and these flags: {@link #state} with a cache in front. */
    private int start(int f) {
      int s = startStates[f];
      if (s < 0) {
        s = state(new int[0], f);
        startStates[f] = s;
      }
      return s;
    }

    /** The id of the state with these threads and flags, made if new; -1 if the cache is full. */
    private int state(int[] threads, int f) {
      Key key = new Key(threads, f);
      Integer known = ids.get(key);
      if (known != null) {
        return known;
      }
      if (states >= maxStates) {
        return -1;
      }
      int id = states++;
      if (id == insts.length) {
        insts = Arrays.copyOf(insts, id * 2);
        flags = Arrays.copyOf(flags, id * 2);
        int old = trans.length;
        trans = Arrays.copyOf(trans, old * 2);
        Arrays.fill(trans, old, trans.length, UNKNOWN);
      }
      insts[id] = threads;
      flags[id] = f;
      ids.put(key, id);
      return id;
    }
  }

  /** A set of code points, sorted on demand. */
  private static final class Points {
    private int[] items = new int[32];
    private int size;

    void add(int x) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = x;
    }

    int[] sorted() {
      int[] a = Arrays.copyOf(items, size);
      Arrays.sort(a);
      int m = 0;
      for (int i = 0; i < a.length; i++) {
        if (m == 0 || a[i] != a[m - 1]) {
          a[m++] = a[i];
        }
      }
      return Arrays.copyOf(a, m);
    }
  }

  private static final class Key {
    final int[] threads;
    final int flags;
    final int hash;

    Key(int[] threads, int flags) {
      this.threads = threads;
      this.flags = flags;
      this.hash = Arrays.hashCode(threads) * 31 + flags;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key
          && ((Key) o).flags == flags
          && Arrays.equals(((Key) o).threads, threads);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}

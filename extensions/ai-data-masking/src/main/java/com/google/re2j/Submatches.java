package com.google.re2j;

/**
 * The groups of a match whose extent is already known, by bounded backtracking over re2j's compiled
 * program (Go's {@code regexp} "bit state" engine): threads are tried in priority order from the
 * match start, so the first match reached is re2j's leftmost-first one, and a visited bitmap over
 * (instruction, position) keeps the work linear in the match length times the program size. Far
 * cheaper than an NFA search for the short spans masks cover.
 */
public final class Submatches {
  /** Larger visited bitmaps than this are not built: use re2j's matcher instead. */
  public static final int MAX_BITS = 256 * 1024;

  private final Prog prog;
  private final int ncap;
  private long[] visited = new long[64];
  private int[] jobs = new int[96];

  private Submatches(Prog prog, int ncap) {
    this.prog = prog;
    this.ncap = ncap;
  }

  /** For {@code regex} as {@link Pattern#compile(String)} reads it. */
  public static Submatches of(String regex) {
    Regexp re = Parser.parse(regex, RE2.PERL);
    int groups = re.maxCap();
    Prog prog = Compiler.compileRegexp(Simplify.simplify(re));
    return new Submatches(prog, 2 * (groups + 1));
  }

  /**
   * The group boundaries {@code [start0, end0, start1, end1, …]} (-1 for a group that did not take
   * part) of the leftmost-first match that starts at {@code start} and ends at {@code end}; or null
   * if the span is too long for the bitmap, or no such match exists.
   */
  public int[] at(char[] text, int start, int end) {
    int len = end - start + 1;
    long bits = (long) prog.numInst() * len;
    if (bits > MAX_BITS) {
      return null;
    }
    int words = (int) ((bits + 63) >>> 6);
    if (visited.length < words) {
      visited = new long[words];
    } else {
      java.util.Arrays.fill(visited, 0, words, 0L);
    }
    int[] cap = new int[ncap];
    java.util.Arrays.fill(cap, -1);
    int sp = 0;
    // a job: pc, pos, and -1 or the capture slot to restore (with its old value in pos)
    sp = push(sp, prog.start, start, -1);
    while (sp > 0) {
      sp -= 3;
      int pc = jobs[sp];
      int pos = jobs[sp + 1];
      int restore = jobs[sp + 2];
      if (restore >= 0) {
        cap[restore] = pos;
        continue;
      }
      while (true) {
        long bit = (long) pc * len + (pos - start);
        long mask = 1L << (bit & 63);
        int word = (int) (bit >>> 6);
        if ((visited[word] & mask) != 0) {
          break;
        }
        visited[word] |= mask;
        Inst inst = prog.inst[pc];
        boolean next = false;
        switch (inst.op) {
          case Inst.FAIL:
            break;
          case Inst.ALT:
          case Inst.ALT_MATCH:
            sp = push(sp, inst.arg, pos, -1);
            pc = inst.out;
            next = true;
            break;
          case Inst.NOP:
            pc = inst.out;
            next = true;
            break;
          case Inst.CAPTURE:
            if (inst.arg < ncap) {
              sp = push(sp, 0, cap[inst.arg], inst.arg); // undo when backtracking past here
              cap[inst.arg] = pos;
            }
            pc = inst.out;
            next = true;
            break;
          case Inst.EMPTY_WIDTH:
            if ((inst.arg & ~context(text, pos)) == 0) {
              pc = inst.out;
              next = true;
            }
            break;
          case Inst.MATCH:
            if (pos != end) {
              return null; // not the match the caller found: let re2j decide
            }
            cap[0] = start;
            cap[1] = end;
            return cap;
          default:
            if (pos < end) {
              int r = Character.codePointAt(text, pos);
              boolean ok;
              switch (inst.op) {
                case Inst.RUNE:
                  ok = inst.matchRune(r);
                  break;
                case Inst.RUNE1:
                  ok = r == inst.runes[0];
                  break;
                case Inst.RUNE_ANY:
                  ok = true;
                  break;
                default:
                  ok = r != '\n';
              }
              if (ok) {
                pos += Character.charCount(r);
                pc = inst.out;
                next = true;
              }
            }
        }
        if (!next) {
          break;
        }
      }
    }
    return null;
  }

  private int push(int sp, int pc, int pos, int restore) {
    if (sp + 3 > jobs.length) {
      jobs = java.util.Arrays.copyOf(jobs, jobs.length * 2);
    }
    jobs[sp] = pc;
    jobs[sp + 1] = pos;
    jobs[sp + 2] = restore;
    return sp + 3;
  }

  private static int context(char[] text, int pos) {
    int before = pos > 0 ? Character.codePointBefore(text, pos) : -1;
    int after = pos < text.length ? Character.codePointAt(text, pos) : -1;
    return Utils.emptyOpContext(before, after);
  }
}

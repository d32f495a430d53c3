package io.rustless.build.wasm;

import java.util.Arrays;

/**
 * A function body decoded into instructions: where each starts, its opcode ({@code 0xFC} prefixed
 * ones as {@code 0xFC00 | sub-opcode}) and its first immediate (a local's or function's index, a
 * constant, a branch depth, a load's or store's offset; 0 if it has none).
 *
 * @param header bytes of the locals declaration before the first instruction
 * @param starts each instruction's offset in the body, then the body's length
 * @param ops each instruction's opcode
 * @param args each instruction's first immediate
 */
record Instructions(int header, int[] starts, int[] ops, long[] args) {

  /**
   * The body's instructions, or null if it holds one this decoder does not know (SIMD, say), is
   * truncated or does not end with {@code end}.
   */
  static Instructions decode(byte[] body) {
    Decoder d = new Decoder(body);
    try {
      long groups = d.uleb();
      for (long g = 0; g < groups; g++) {
        d.uleb();
        d.pos++;
      }
      int header = d.pos;
      IntList s = new IntList();
      IntList o = new IntList();
      LongList a = new LongList();
      while (d.pos < body.length) {
        s.add(d.pos);
        o.add(d.next());
        a.add(d.arg);
      }
      s.add(body.length);
      if (d.pos != body.length || o.size() == 0 || o.get(o.size() - 1) != 0x0B) {
        return null;
      }
      return new Instructions(header, s.toArray(), o.toArray(), a.toArray());
    } catch (UnknownInstruction | ArrayIndexOutOfBoundsException e) {
      return null;
    }
  }

  /** Decodes one instruction at a time; {@code arg} is its first immediate. */
  private static final class Decoder {
    final byte[] b;
    int pos;
    long arg;

    Decoder(byte[] b) {
      this.b = b;
    }

    long uleb() {
      long v = 0;
      int shift = 0;
      while (true) {
        int x = b[pos++] & 0xFF;
        v |= (long) (x & 0x7F) << shift;
        if (x < 0x80) {
          return v;
        }
        shift += 7;
        if (shift > 63) {
          throw new UnknownInstruction();
        }
      }
    }

    long sleb() {
      long v = 0;
      int shift = 0;
      int x;
      do {
        x = b[pos++] & 0xFF;
        v |= (long) (x & 0x7F) << shift;
        shift += 7;
        if (shift > 70) {
          throw new UnknownInstruction();
        }
      } while ((x & 0x80) != 0);
      if (shift < 64 && (x & 0x40) != 0) {
        v |= -1L << shift;
      }
      return v;
    }

    void skipLeb() {
      int n = 0;
      while ((b[pos++] & 0x80) != 0) {
        if (++n > 10) {
          throw new UnknownInstruction();
        }
      }
    }

    int next() {
      int op = b[pos++] & 0xFF;
      arg = 0;
      switch (op) {
        case 0x00, 0x01, 0x05, 0x0B, 0x0F, 0x1A, 0x1B, 0xD1 -> {}
        case 0x02, 0x03, 0x04 -> blockType();
        case 0x0C, 0x0D, 0x10, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0xD2 -> arg = uleb();
        case 0x0E -> {
          long targets = uleb();
          for (long t = 0; t <= targets; t++) {
            uleb();
          }
        }
        case 0x11 -> {
          uleb();
          uleb();
        }
        case 0x1C -> {
          long types = uleb();
          pos += (int) types;
        }
        case 0x3F, 0x40, 0xD0 -> pos++;
        case 0x41, 0x42 -> arg = sleb();
        case 0x43 -> pos += 4;
        case 0x44 -> pos += 8;
        case 0xFC -> op = 0xFC00 | prefixed();
        default -> {
          if (op >= 0x28 && op <= 0x3E) {
            uleb(); // align
            arg = uleb(); // offset
          } else if (op < 0x45 || op > 0xC4) {
            throw new UnknownInstruction();
          }
        }
      }
      return op;
    }

    private void blockType() {
      int t = b[pos] & 0xFF;
      if (t == 0x40 || t == 0x7F || t == 0x7E || t == 0x7D || t == 0x7C || t == 0x7B || t == 0x70
          || t == 0x6F) {
        pos++;
      } else {
        skipLeb(); // a type index (s33)
      }
    }

    private int prefixed() {
      int sub = (int) uleb();
      switch (sub) {
        case 0, 1, 2, 3, 4, 5, 6, 7 -> {}
        case 8 -> {
          uleb();
          pos++;
        }
        case 9, 13, 15, 16, 17 -> uleb();
        case 10 -> pos += 2;
        case 11 -> pos++;
        case 12, 14 -> {
          uleb();
          uleb();
        }
        default -> throw new UnknownInstruction();
      }
      return sub;
    }
  }

  private static final class UnknownInstruction extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnknownInstruction() {
      super(null, null, false, false);
    }
  }

  private static final class IntList {
    int[] a = new int[256];
    int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int get(int i) {
      return a[i];
    }

    int size() {
      return n;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  private static final class LongList {
    long[] a = new long[256];
    int n;

    void add(long v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}

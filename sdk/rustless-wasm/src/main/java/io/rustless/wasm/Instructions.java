package io.rustless.wasm;

import java.util.Arrays;

/**
 * A function body decoded into instructions: where each starts, its opcode ({@code 0xFC} prefixed
 * ones as {@code 0xFC00 | sub-opcode}) and its first immediate (a local's or function's index, a
 * constant, a branch depth, a tag, a load's or store's offset; 0 if it has none). Knows the MVP
 * instructions, the {@code 0xFC} bulk-memory and saturating ones, reference types, and the legacy
 * exception-handling ones TeaVM emits ({@code try}, {@code catch}, {@code catch_all}, {@code
 * throw}, {@code rethrow}, {@code delegate}).
 *
 * @param header bytes of the locals declaration before the first instruction
 * @param starts each instruction's offset in the body, then the body's length
 * @param ops each instruction's opcode
 * @param args each instruction's first immediate
 */
public record Instructions(int header, int[] starts, int[] ops, long[] args) {
  public static final int TRY = 0x06;
  public static final int CATCH = 0x07;
  public static final int THROW = 0x08;
  public static final int RETHROW = 0x09;
  public static final int DELEGATE = 0x18;
  public static final int CATCH_ALL = 0x19;

  /**
   * The body's instructions, or null if it holds one this decoder does not know (SIMD, say), is
   * truncated or does not end with {@code end}.
   */
  public static Instructions decode(byte[] body) {
    Decoder d = new Decoder(body);
    try {
      long groups = d.r.u32();
      for (long g = 0; g < groups; g++) {
        d.r.u32();
        d.r.u8();
      }
      int header = d.r.position();
      IntList s = new IntList();
      IntList o = new IntList();
      LongList a = new LongList();
      while (d.r.hasMore()) {
        s.add(d.r.position());
        o.add(d.next());
        a.add(d.arg);
      }
      s.add(body.length);
      if (o.size() == 0 || o.get(o.size() - 1) != 0x0B) {
        return null;
      }
      return new Instructions(header, s.toArray(), o.toArray(), a.toArray());
    } catch (UnknownInstruction | WasmFormatException e) {
      return null;
    }
  }

  /** Decodes one instruction at a time; {@code arg} is its first immediate. */
  private static final class Decoder {
    final ByteReader r;
    long arg;

    Decoder(byte[] b) {
      this.r = new ByteReader(b, 0, b.length);
    }

    int next() {
      int op = r.u8();
      arg = 0;
      switch (op) {
        case 0x00, 0x01, 0x05, 0x0B, 0x0F, 0x1A, 0x1B, 0xD1, CATCH_ALL -> {}
        case 0x02, 0x03, 0x04, TRY -> blockType();
        case 0x0C, 0x0D, 0x10, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0xD2 -> arg = r.u32();
        case CATCH, THROW, RETHROW, DELEGATE -> arg = r.u32();
        case 0x0E -> {
          long targets = r.u32();
          for (long t = 0; t <= targets; t++) {
            r.u32();
          }
        }
        case 0x11 -> {
          r.u32();
          r.u32();
        }
        case 0x1C -> r.skip(r.u32AsInt());
        case 0x3F, 0x40, 0xD0 -> r.u8();
        case 0x41, 0x42 -> arg = r.s64();
        case 0x43 -> r.skip(4);
        case 0x44 -> r.skip(8);
        case 0xFC -> op = 0xFC00 | prefixed();
        default -> {
          if (op >= 0x28 && op <= 0x3E) {
            r.u32(); // align
            arg = r.u32(); // offset
          } else if (op < 0x45 || op > 0xC4) {
            throw new UnknownInstruction();
          }
        }
      }
      return op;
    }

    private void blockType() {
      int t = r.u8();
      if (!isBlockValueType(t)) {
        // a type index (s33): continue its LEB128
        for (int x = t; (x & 0x80) != 0; ) {
          x = r.u8();
        }
      }
    }

    private int prefixed() {
      int sub = r.u32AsInt();
      switch (sub) {
        case 0, 1, 2, 3, 4, 5, 6, 7 -> {}
        case 8 -> {
          r.u32();
          r.u8();
        }
        case 9, 13, 15, 16, 17 -> r.u32();
        case 10 -> r.skip(2);
        case 11 -> r.u8();
        case 12, 14 -> {
          r.u32();
          r.u32();
        }
        default -> throw new UnknownInstruction();
      }
      return sub;
    }
  }

  /** True if block-type byte {@code t} is the empty type or a value type (not a type index). */
  public static boolean isBlockValueType(int t) {
    return t == 0x40 || t == 0x7F || t == 0x7E || t == 0x7D || t == 0x7C || t == 0x7B || t == 0x70
        || t == 0x6F;
  }

  /** The number of instructions. */
  public int count() {
    return ops.length;
  }

  /** True if the body uses any exception-handling instruction. */
  public boolean usesExceptions() {
    for (int op : ops) {
      if (op == TRY
          || op == CATCH
          || op == THROW
          || op == RETHROW
          || op == DELEGATE
          || op == CATCH_ALL) {
        return true;
      }
    }
    return false;
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

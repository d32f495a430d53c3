package io.rustless.build.wasm;

import io.rustless.build.wasm.WasmModuleBinary.Section;
import java.io.ByteArrayOutputStream;

/**
 * Local rewrites of TeaVM's instruction patterns that keep behaviour exactly and save bytes.
 *
 * <ul>
 *   <li>{@code local.set x; local.get x} becomes {@code local.tee x} (TeaVM stores every call's
 *       result and reads it straight back: ~1,000 sites in a typical plugin);
 *   <li>{@code i32.eqz; i32.eqz} before {@code br_if} or {@code if} goes: both only test for
 *       non-zero, and TeaVM writes every null check this way (~700 sites).
 * </ul>
 *
 * <p>Both are straight-line rewrites (Wasm has no jumps into the middle of a sequence), and branch
 * depths do not change, so nothing else needs adjusting. A function body with an instruction this
 * class does not know (SIMD, say) is copied unchanged.
 */
final class CodePeephole {
  private static final int LOCAL_GET = 0x20;
  private static final int LOCAL_SET = 0x21;
  private static final int LOCAL_TEE = 0x22;
  private static final int I32_EQZ = 0x45;
  private static final int IF = 0x04;
  private static final int BR_IF = 0x0D;

  private CodePeephole() {}

  static WasmModuleBinary apply(WasmModuleBinary module) {
    Section code = null;
    for (Section s : module.sections()) {
      if (s.id() == WasmModuleBinary.SECTION_CODE) {
        code = s;
      }
    }
    if (code == null) {
      return module;
    }
    byte[] payload = code.payload();
    ByteReader r = new ByteReader(payload, 0, payload.length);
    long count = r.u32();
    ByteWriter out = new ByteWriter().u32(count);
    for (long f = 0; f < count; f++) {
      int size = r.u32AsInt();
      int start = r.position();
      r.skip(size);
      byte[] body = java.util.Arrays.copyOfRange(payload, start, start + size);
      byte[] optimized = optimize(body);
      out.u32(optimized.length).bytes(optimized);
    }
    return module.withSection(new Section(WasmModuleBinary.SECTION_CODE, out.toByteArray()));
  }

  /** The rewritten body, or {@code body} itself if it holds an instruction we cannot decode. */
  static byte[] optimize(byte[] body) {
    Decoder d = new Decoder(body);
    int[] starts;
    int[] ops;
    long[] args;
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
        int op = d.next();
        o.add(op);
        a.add(d.arg);
      }
      s.add(body.length);
      if (d.pos != body.length || o.size() == 0 || o.get(o.size() - 1) != 0x0B) {
        return body;
      }
      starts = s.toArray();
      ops = o.toArray();
      args = a.toArray();
      ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
      out.write(body, 0, header);
      int n = ops.length;
      for (int i = 0; i < n; i++) {
        if (i + 2 < n
            && ops[i] == I32_EQZ
            && ops[i + 1] == I32_EQZ
            && (ops[i + 2] == BR_IF || ops[i + 2] == IF)) {
          i++; // both eqz go; the branch is copied next round
          continue;
        }
        if (i + 1 < n && ops[i] == LOCAL_SET && ops[i + 1] == LOCAL_GET && args[i] == args[i + 1]) {
          out.write(LOCAL_TEE);
          writeUleb(out, args[i]);
          i++;
          continue;
        }
        out.write(body, starts[i], starts[i + 1] - starts[i]);
      }
      return out.toByteArray();
    } catch (UnknownInstruction | ArrayIndexOutOfBoundsException e) {
      return body;
    }
  }

  private static void writeUleb(ByteArrayOutputStream out, long v) {
    do {
      int b = (int) (v & 0x7F);
      v >>>= 7;
      out.write(v != 0 ? b | 0x80 : b);
    } while (v != 0);
  }

  /** Decodes one instruction at a time; {@code arg} is the first immediate (a local's index). */
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
        case 0x41, 0x42 -> skipLeb();
        case 0x43 -> pos += 4;
        case 0x44 -> pos += 8;
        case 0xFC -> op = 0xFC00 | prefixed();
        default -> {
          if (op >= 0x28 && op <= 0x3E) {
            uleb(); // align
            uleb(); // offset
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
        a = java.util.Arrays.copyOf(a, n * 2);
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
      return java.util.Arrays.copyOf(a, n);
    }
  }

  private static final class LongList {
    long[] a = new long[256];
    int n;

    void add(long v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }
  }
}

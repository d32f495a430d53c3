package io.rustless.build.wasm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Hand-assembles small Wasm modules for tests. */
final class ModuleBytes {
  private final List<String[]> imports = new ArrayList<>(); // module, name, signature
  private final List<String> exports = new ArrayList<>();
  private long memoryMin = 1;
  private long memoryMax = -1;
  private final List<Integer> dataOffsets = new ArrayList<>();
  private final List<byte[]> data = new ArrayList<>();
  private int copyFrom = -1;
  private int copyTo = -1;

  ModuleBytes importFunction(String module, String name, String signature) {
    imports.add(new String[] {module, name, signature});
    return this;
  }

  /** Exports function 0 under each name (plus "memory" as the memory). */
  ModuleBytes export(String... names) {
    exports.addAll(List.of(names));
    return this;
  }

  ModuleBytes memory(long min, long max) {
    memoryMin = min;
    memoryMax = max;
    return this;
  }

  /** Adds an active data segment (call again for more). */
  ModuleBytes data(int offset, byte[] bytes) {
    dataOffsets.add(offset);
    data.add(bytes);
    return this;
  }

  /**
   * Makes the local function the start function, copying the byte at {@code from} to {@code to}.
   */
  ModuleBytes startCopyingByte(int from, int to) {
    copyFrom = from;
    copyTo = to;
    return this;
  }

  /** Signature like "ii:i" (params:results), i = i32, I = i64. */
  byte[] build() {
    Out out = new Out();
    out.raw(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
    // types: one per import, then ()->() for the local function
    Out types = new Out();
    types.u32(imports.size() + 1);
    for (String[] imp : imports) {
      String[] sig = imp[2].split(":", -1);
      types.raw(0x60);
      valTypes(types, sig[0]);
      valTypes(types, sig[1]);
    }
    types.raw(0x60, 0x00, 0x00);
    out.section(1, types);
    Out imp = new Out();
    imp.u32(imports.size());
    for (int i = 0; i < imports.size(); i++) {
      imp.name(imports.get(i)[0]).name(imports.get(i)[1]).raw(0x00).u32(i);
    }
    out.section(2, imp);
    Out funcs = new Out().u32(1).u32(imports.size());
    out.section(3, funcs);
    Out mem = new Out().u32(1);
    if (memoryMax < 0) {
      mem.raw(0x00).u32(memoryMin);
    } else {
      mem.raw(0x01).u32(memoryMin).u32(memoryMax);
    }
    out.section(5, mem);
    Out exp = new Out().u32(exports.size());
    for (String e : exports) {
      if (e.equals("memory")) {
        exp.name(e).raw(0x02).u32(0);
      } else {
        exp.name(e).raw(0x00).u32(imports.size());
      }
    }
    out.section(7, exp);
    if (copyFrom >= 0) {
      out.section(8, new Out().u32(imports.size()));
    }
    Out body = new Out().raw(0x00); // no locals
    if (copyFrom >= 0) {
      body.raw(0x41).sleb(copyTo).raw(0x41).sleb(copyFrom);
      body.raw(0x2D, 0x00, 0x00, 0x3A, 0x00, 0x00); // i32.store8(to, i32.load8_u(from))
    }
    byte[] bodyBytes = body.raw(0x0B).toBytes();
    out.section(10, new Out().u32(1).u32(bodyBytes.length).bytes(bodyBytes));
    if (!data.isEmpty()) {
      Out d = new Out().u32(data.size());
      for (int i = 0; i < data.size(); i++) {
        d.raw(0x00, 0x41).sleb(dataOffsets.get(i)).raw(0x0B).u32(data.get(i).length);
        d.bytes(data.get(i));
      }
      out.section(11, d);
    }
    return out.toBytes();
  }

  private static void valTypes(Out out, String codes) {
    out.u32(codes.length());
    for (char c : codes.toCharArray()) {
      out.raw(c == 'I' ? 0x7E : 0x7F);
    }
  }

  private static final class Out {
    final ByteArrayOutputStream b = new ByteArrayOutputStream();

    Out raw(int... bytes) {
      for (int x : bytes) {
        b.write(x);
      }
      return this;
    }

    Out bytes(byte[] bytes) {
      b.writeBytes(bytes);
      return this;
    }

    Out u32(long v) {
      do {
        int x = (int) (v & 0x7F);
        v >>>= 7;
        b.write(v != 0 ? x | 0x80 : x);
      } while (v != 0);
      return this;
    }

    Out sleb(int v) {
      boolean more = true;
      while (more) {
        int x = v & 0x7F;
        v >>= 7;
        more = !((v == 0 && (x & 0x40) == 0) || (v == -1 && (x & 0x40) != 0));
        b.write(more ? x | 0x80 : x);
      }
      return this;
    }

    Out name(String s) {
      byte[] n = s.getBytes(StandardCharsets.UTF_8);
      u32(n.length);
      b.writeBytes(n);
      return this;
    }

    Out section(int id, Out content) {
      byte[] c = content.toBytes();
      b.write(id);
      u32(c.length);
      b.writeBytes(c);
      return this;
    }

    byte[] toBytes() {
      return b.toByteArray();
    }
  }
}

package io.rustless.v8;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small hand-assembled module for the engine's tests. Imports {@code env.add (i32 i32) -> i32},
 * {@code env.fail () -> ()}, {@code env.wide (i64) -> i64}; exports one page of memory and:
 *
 * <pre>
 * callAdd(a, b) = env.add(a, b)        load(p) = i32.load8_u(p)      trap() = unreachable
 * callFail() = env.fail()              grow(n) = memory.grow(n)      wide(x) = env.wide(x)
 * recurse() = recurse()                twice(a, b) = env.add(env.add(a, b), b)
 * </pre>
 */
final class TestModule {
  private TestModule() {}

  private static final int I32 = 0x7F;
  private static final int I64 = 0x7E;

  static byte[] bytes() {
    Out types = new Out();
    types.u(5);
    types.type(new int[] {I32, I32}, new int[] {I32}); // 0
    types.type(new int[] {}, new int[] {}); // 1
    types.type(new int[] {I64}, new int[] {I64}); // 2
    types.type(new int[] {I32}, new int[] {I32}); // 3
    types.type(new int[] {}, new int[] {I32}); // 4 (unused)

    Out imports = new Out();
    imports.u(3);
    imports.name("env").name("add").b(0).u(0);
    imports.name("env").name("fail").b(0).u(1);
    imports.name("env").name("wide").b(0).u(2);

    // functions 3.. : callAdd, trap, callFail, load, grow, wide, recurse, twice
    int[] sigs = {0, 1, 1, 3, 3, 2, 1, 0};
    Out funcs = new Out();
    funcs.u(sigs.length);
    for (int s : sigs) {
      funcs.u(s);
    }
    Out memory = new Out();
    memory.u(1).b(0).u(1); // one memory, min 1 page, no max

    String[] names = {"callAdd", "trap", "callFail", "load", "grow", "wide", "recurse", "twice"};
    Out exports = new Out();
    exports.u(names.length + 1);
    for (int i = 0; i < names.length; i++) {
      exports.name(names[i]).b(0).u(3 + i);
    }
    exports.name("memory").b(2).u(0);

    int[][] bodies = {
      {0x20, 0, 0x20, 1, 0x10, 0}, // callAdd
      {0x00}, // trap
      {0x10, 1}, // callFail
      {0x20, 0, 0x2D, 0, 0}, // load: i32.load8_u align 0 offset 0
      {0x20, 0, 0x40, 0}, // grow
      {0x20, 0, 0x10, 2}, // wide
      {0x10, 9}, // recurse
      {0x20, 0, 0x20, 1, 0x10, 0, 0x20, 1, 0x10, 0}, // twice
    };
    Out code = new Out();
    code.u(bodies.length);
    for (int[] body : bodies) {
      Out f = new Out();
      f.u(0); // no locals
      for (int op : body) {
        f.b(op);
      }
      f.b(0x0B); // end
      code.bytes(f.toByteArray());
    }

    Out m = new Out();
    m.raw(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    m.section(1, types).section(2, imports).section(3, funcs).section(5, memory);
    m.section(7, exports).section(10, code);
    return m.toByteArray();
  }

  private static final class Out extends ByteArrayOutputStream {
    Out b(int v) {
      write(v);
      return this;
    }

    Out u(long v) {
      do {
        int b = (int) (v & 0x7F);
        v >>>= 7;
        write(v != 0 ? b | 0x80 : b);
      } while (v != 0);
      return this;
    }

    Out raw(byte[] bytes) {
      write(bytes, 0, bytes.length);
      return this;
    }

    Out bytes(byte[] bytes) {
      u(bytes.length);
      return raw(bytes);
    }

    Out name(String s) {
      return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    Out type(int[] params, int[] results) {
      b(0x60).u(params.length);
      for (int p : params) {
        b(p);
      }
      u(results.length);
      for (int r : results) {
        b(r);
      }
      return this;
    }

    Out section(int id, Out content) {
      b(id);
      return bytes(content.toByteArray());
    }
  }
}

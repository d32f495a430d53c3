package io.rustless.build.wasm;

import io.rustless.wasm.ByteReader;
import io.rustless.wasm.ByteWriter;
import io.rustless.wasm.Instructions;
import io.rustless.wasm.WasmModuleBinary;
import io.rustless.wasm.WasmModuleBinary.Section;

/**
 * Local rewrites of TeaVM's instruction patterns that keep behaviour exactly and save bytes.
 *
 * <ul>
 *   <li>{@code local.set x; local.get x} becomes {@code local.tee x} (TeaVM stores every call's
 *       result and reads it straight back: ~1,000 sites in a typical plugin);
 *   <li>{@code i32.eqz; i32.eqz} before {@code br_if} or {@code if} goes: both only test for
 *       non-zero, and TeaVM writes every null check this way (~700 sites);
 *   <li>TeaVM's null checks, {@code block (result i32) {v; v; br_if 0; drop; <throw>}}, become
 *       {@code if (!v) {<throw>}; v} (~700 sites, 2 bytes each);
 *   <li>a throw of a null pointer or a bad index, {@code frame.callSite = id; call thrower}, calls
 *       an added helper that stores the call site and throws (3 bytes a site, on cold paths only);
 *   <li>TeaVM's subtype tests, {@code t = tag; if (t < lo) return 0; if (t >= hi) return 0; return
 *       1}, become the branch-free {@code (tag - lo) <u (hi - lo)} (one per class: ~200 in a
 *       plugin, 32 bytes down to 14 each).
 * </ul>
 *
 * <p>All are straight-line rewrites (Wasm has no jumps into the middle of a sequence), branch
 * depths do not change, and added helpers go after every existing function, so no index moves. A
 * function body with an instruction this class does not know (SIMD, say) is copied unchanged.
 */
public final class CodePeephole {
  private static final int LOCAL_GET = 0x20;
  private static final int LOCAL_SET = 0x21;
  private static final int LOCAL_TEE = 0x22;
  private static final int I32_EQZ = 0x45;
  private static final int IF = 0x04;
  private static final int BR_IF = 0x0D;
  private static final int BLOCK = 0x02;
  private static final int BR = 0x0C;
  private static final int DROP = 0x1A;
  private static final int UNREACHABLE = 0x00;
  private static final int CALL = 0x10;
  private static final int I32_CONST = 0x41;
  private static final int I32_STORE = 0x36;
  private static final java.util.Set<String> THROWERS =
      java.util.Set.of(
          "teavm_throwNullPointerException", "teavm_throwArrayIndexOutOfBoundsException");

  private CodePeephole() {}

  /** {@code module} with every function body rewritten (see the class comment). */
  public static WasmModuleBinary apply(WasmModuleBinary module) {
    return apply(module, null);
  }

  /**
   * With {@code frameAllocatorExport} (the export naming TeaVM's shadow-stack frame allocator),
   * also drops every store of a call-site id into a frame: in the Wasm exception mode the runtime
   * dispatches exceptions with Wasm's own {@code try}/{@code catch}, and the only readers of those
   * ids, stack traces and the out-of-memory stack dump, are compiled out of Rustless modules. TeaVM
   * writes one before every call that may throw: ~2,500 stores, ~20 KB, in a plugin.
   */
  public static WasmModuleBinary apply(WasmModuleBinary module, String frameAllocatorExport) {
    Section code = module.find(WasmModuleBinary.SECTION_CODE);
    if (code == null) {
      return module;
    }
    int nextIndex = module.nextFunctionIndex();
    long allocator = -1;
    for (WasmModuleBinary.Export e : module.exports()) {
      if (e.kind() == 0 && e.name().equals(frameAllocatorExport)) {
        allocator = e.index();
      }
    }
    // TeaVM's throw helpers, found by the names it exports them under (exports go later)
    java.util.Map<Long, Long> outlined = new java.util.LinkedHashMap<>();
    for (WasmModuleBinary.Export e : module.exports()) {
      if (allocator < 0 && e.kind() == 0 && THROWERS.contains(e.name())) {
        WasmModuleBinary.FuncType t = module.functionType(e.index());
        if (t != null && t.params().isEmpty() && t.results().isEmpty()) {
          outlined.put(e.index(), (long) nextIndex++);
        }
      }
    }
    byte[] payload = code.payload();
    ByteReader r = new ByteReader(payload, 0, payload.length);
    long count = r.u32();
    ByteWriter out = new ByteWriter().u32(count + outlined.size());
    for (long f = 0; f < count; f++) {
      int size = r.u32AsInt();
      int start = r.position();
      r.skip(size);
      byte[] body = java.util.Arrays.copyOfRange(payload, start, start + size);
      byte[] optimized = optimize(body, outlined, allocator);
      out.u32(optimized.length).bytes(optimized);
    }
    if (outlined.isEmpty()) {
      return module.withSection(new Section(WasmModuleBinary.SECTION_CODE, out.toByteArray()));
    }
    // each helper: (frame, callSite) -> store the call site into the frame, then throw
    int type = module.types().size();
    for (long thrower : outlined.keySet()) {
      ByteWriter helper = new ByteWriter().u8(0x00);
      helper.u8(LOCAL_GET).u8(0).u8(LOCAL_GET).u8(1).u8(I32_STORE).u8(2).u8(0);
      helper.u8(CALL).u32(thrower).u8(0x0B);
      byte[] h = helper.toByteArray();
      out.u32(h.length).bytes(h);
    }
    WasmModuleBinary result =
        module.withAppended(WasmModuleBinary.SECTION_TYPE, new byte[] {0x60, 2, 0x7F, 0x7F, 0});
    for (int i = 0; i < outlined.size(); i++) {
      result =
          result.withAppended(
              WasmModuleBinary.SECTION_FUNCTION, new ByteWriter().u32(type).toByteArray());
    }
    return result.withSection(new Section(WasmModuleBinary.SECTION_CODE, out.toByteArray()));
  }

  /** The rewritten body, or {@code body} itself if it holds an instruction we cannot decode. */
  static byte[] optimize(byte[] body) {
    return optimize(body, java.util.Map.of(), -1);
  }

  /**
   * The rewritten body; {@code outlined} maps a throw helper's index to the index of the helper
   * that also stores the call site; with {@code allocator} >= 0, call-site stores into the frame
   * that function returns are dropped.
   */
  static byte[] optimize(byte[] body, java.util.Map<Long, Long> outlined, long allocator) {
    Instructions code = Instructions.decode(body);
    if (code == null || code.usesExceptions()) {
      return body;
    }
    int header = code.header();
    int[] starts = code.starts();
    int[] ops = code.ops();
    long[] args = code.args();
    byte[] range = rangeCheck(body, header, ops, args);
    if (range != null) {
      return range;
    }
    ByteWriter out = new ByteWriter().bytes(body, 0, header);
    int n = ops.length;
    long frame = allocator < 0 ? -1 : frameLocal(ops, args, allocator);
    for (int i = 0; i < n; i++) {
      if (frame >= 0 && isFrameStore(ops, args, i, frame)) {
        i += 2; // local.get frame; i32.const site; i32.store offset=0
        continue;
      }
      int t = nullCheck(body, starts, ops, args, i);
      if (t > 0) {
        // block (i32) {v; v; br_if 0; drop; <throw>; br n} -> if (!v) {<throw>; br n}; v
        out.u8(LOCAL_GET);
        out.u32(args[i + 1]);
        out.u8(I32_EQZ);
        out.u8(IF);
        out.u8(0x40);
        int br = writeThrow(out, body, starts, ops, args, t, outlined, frame);
        // br n (same depth inside the if) or unreachable (after a Wasm throw)
        out.bytes(body, starts[br], starts[br + 1] - starts[br]);
        out.u8(0x0B);
        out.u8(LOCAL_GET);
        out.u32(args[i + 1]);
        i = br + 1; // the block's end
        continue;
      }
      if (isOutlinedThrow(ops, args, i, outlined)) {
        i = writeThrow(out, body, starts, ops, args, i, outlined, frame) - 1;
        continue;
      }
      if (i + 2 < n
          && ops[i] == I32_EQZ
          && ops[i + 1] == I32_EQZ
          && (ops[i + 2] == BR_IF || ops[i + 2] == IF)) {
        i++; // both eqz go; the branch is copied next round
        continue;
      }
      if (i + 1 < n && ops[i] == LOCAL_SET && ops[i + 1] == LOCAL_GET && args[i] == args[i + 1]) {
        out.u8(LOCAL_TEE);
        out.u32(args[i]);
        i++;
        continue;
      }
      out.bytes(body, starts[i], starts[i + 1] - starts[i]);
    }
    return out.toByteArray();
  }

  /**
   * If a TeaVM null check starts at {@code i} (block (result i32); local.get v; local.get v;
   * [i32.eqz; i32.eqz;] br_if 0; drop; local.get sp; i32.const site; i32.store; call thrower; br n;
   * end), the index where its throw sequence starts; else -1.
   */
  private static int nullCheck(byte[] body, int[] starts, int[] ops, long[] args, int i) {
    if (i + 12 >= ops.length
        || ops[i] != BLOCK
        || (body[starts[i] + 1] & 0xFF) != 0x7F
        || ops[i + 1] != LOCAL_GET
        || ops[i + 2] != LOCAL_GET
        || args[i + 1] != args[i + 2]) {
      return -1;
    }
    int j = i + 3;
    if (ops[j] == I32_EQZ && ops[j + 1] == I32_EQZ) {
      j += 2;
    }
    if (ops[j] != BR_IF
        || args[j] != 0
        || ops[j + 1] != DROP
        || !isThrow(ops, args, j + 2)
        || !((ops[j + 6] == BR && args[j + 6] >= 1) || ops[j + 6] == UNREACHABLE)
        || ops[j + 7] != 0x0B) {
      return -1;
    }
    return j + 2;
  }

  /**
   * The local holding the frame the allocator returned, if the body sets it exactly once from a
   * call to the allocator; else -1.
   */
  private static long frameLocal(int[] ops, long[] args, long allocator) {
    long frame = -1;
    for (int i = 0; i + 1 < ops.length; i++) {
      if (ops[i] == CALL
          && args[i] == allocator
          && (ops[i + 1] == LOCAL_SET || ops[i + 1] == LOCAL_TEE)) {
        frame = args[i + 1];
        break;
      }
    }
    if (frame < 0) {
      return -1;
    }
    int assignments = 0;
    for (int i = 0; i < ops.length; i++) {
      if ((ops[i] == LOCAL_SET || ops[i] == LOCAL_TEE) && args[i] == frame) {
        assignments++;
      }
    }
    return assignments == 1 ? frame : -1;
  }

  /** local.get frame; i32.const site; i32.store offset=0: the frame's call-site slot. */
  private static boolean isFrameStore(int[] ops, long[] args, int i, long frame) {
    return i + 2 < ops.length
        && ops[i] == LOCAL_GET
        && args[i] == frame
        && ops[i + 1] == I32_CONST
        && ops[i + 2] == I32_STORE
        && args[i + 2] == 0;
  }

  /** local.get sp; i32.const site; i32.store offset=0; call f. */
  private static boolean isThrow(int[] ops, long[] args, int i) {
    return i + 3 < ops.length
        && ops[i] == LOCAL_GET
        && ops[i + 1] == I32_CONST
        && ops[i + 2] == I32_STORE
        && args[i + 2] == 0
        && ops[i + 3] == CALL;
  }

  private static boolean isOutlinedThrow(
      int[] ops, long[] args, int i, java.util.Map<Long, Long> outlined) {
    return isThrow(ops, args, i) && outlined.containsKey(args[i + 3]);
  }

  /** Writes the throw sequence at {@code i}, through a helper if it has one; its end index. */
  private static int writeThrow(
      ByteWriter out,
      byte[] body,
      int[] starts,
      int[] ops,
      long[] args,
      int i,
      java.util.Map<Long, Long> outlined,
      long frame) {
    if (frame >= 0 && isFrameStore(ops, args, i, frame)) {
      out.bytes(body, starts[i + 3], starts[i + 4] - starts[i + 3]); // just the call
    } else if (isOutlinedThrow(ops, args, i, outlined)) {
      out.bytes(body, starts[i], starts[i + 2] - starts[i]); // local.get sp; i32.const site
      out.u8(CALL);
      out.u32(outlined.get(args[i + 3]));
    } else {
      out.bytes(body, starts[i], starts[i + 4] - starts[i]);
    }
    return i + 4;
  }

  /** The opcodes of TeaVM's subtype test, the function's end included; -1 marks the bounds. */
  private static final int[] RANGE_TEST = {
    LOCAL_GET, 0x28, LOCAL_SET, LOCAL_GET, -1, 0x48, IF, 0x41, 0x0F, 0x0B, //
    LOCAL_GET, -1, 0x4E, IF, 0x41, 0x0F, 0x0B, 0x41, 0x0F, 0x0B
  };

  private static byte[] rangeCheck(byte[] body, int header, int[] ops, long[] args) {
    if (header != 1 || body[0] != 0 || ops.length != RANGE_TEST.length) {
      return null; // locals, or not the shape
    }
    for (int i = 0; i < RANGE_TEST.length; i++) {
      int expected = RANGE_TEST[i] == -1 ? 0x41 : RANGE_TEST[i];
      if (ops[i] != expected) {
        return null;
      }
    }
    if (args[0] != 0
        || args[2] != 0
        || args[3] != 0
        || args[10] != 0
        || args[7] != 0
        || args[14] != 0
        || args[17] != 1) {
      return null;
    }
    long lo = args[4];
    long hi = args[11];
    if (lo > hi) {
      return null; // an empty range: the original always answers 0
    }
    return rangeBody(body, lo, hi);
  }

  private static byte[] rangeBody(byte[] body, long lo, long hi) {
    ByteWriter out = new ByteWriter().u8(0x00); // no locals
    // local.get 0 and the i32.load of the tag with its memarg, copied from the original
    int loadEnd = 4;
    while ((body[loadEnd++] & 0x80) != 0) {} // align
    while ((body[loadEnd++] & 0x80) != 0) {} // offset
    out.bytes(body, 1, loadEnd - 1);
    out.u8(0x41);
    out.s32((int) lo);
    out.u8(0x6B); // i32.sub
    out.u8(0x41);
    out.s32((int) (hi - lo));
    out.u8(0x49); // i32.lt_u
    out.u8(0x0B);
    return out.toByteArray();
  }
}

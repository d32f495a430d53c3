package io.rustless.wasm;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles small Wasm modules (for tests and tools): imported functions, one local function
 * exported under any names, a memory, data segments and optionally a start function.
 */
public final class ModuleAssembler {
  private final List<String[]> imports = new ArrayList<>(); // module, name, signature
  private final List<String> exports = new ArrayList<>();
  private long memoryMin = 1;
  private long memoryMax = -1;
  private final List<Integer> dataOffsets = new ArrayList<>();
  private final List<byte[]> data = new ArrayList<>();
  private int copyFrom = -1;
  private int copyTo = -1;

  /** Imports a function; {@code signature} like "ii:i" (params:results), i = i32, I = i64. */
  public ModuleAssembler importFunction(String module, String name, String signature) {
    imports.add(new String[] {module, name, signature});
    return this;
  }

  /** Exports function 0 under each name (plus "memory" as the memory). */
  public ModuleAssembler export(String... names) {
    exports.addAll(List.of(names));
    return this;
  }

  public ModuleAssembler memory(long min, long max) {
    memoryMin = min;
    memoryMax = max;
    return this;
  }

  /** Adds an active data segment (call again for more). */
  public ModuleAssembler data(int offset, byte[] bytes) {
    dataOffsets.add(offset);
    data.add(bytes);
    return this;
  }

  /**
   * Makes the local function the start function, copying the byte at {@code from} to {@code to}.
   */
  public ModuleAssembler startCopyingByte(int from, int to) {
    copyFrom = from;
    copyTo = to;
    return this;
  }

  /** The module. */
  public byte[] build() {
    ByteWriter out = new ByteWriter().raw(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
    // types: one per import, then ()->() for the local function
    ByteWriter types = new ByteWriter().u32(imports.size() + 1);
    for (String[] imp : imports) {
      String[] sig = imp[2].split(":", -1);
      types.u8(0x60);
      valTypes(types, sig[0]);
      valTypes(types, sig[1]);
    }
    types.raw(0x60, 0x00, 0x00);
    out.section(WasmModuleBinary.SECTION_TYPE, types.toByteArray());
    ByteWriter imp = new ByteWriter().u32(imports.size());
    for (int i = 0; i < imports.size(); i++) {
      imp.name(imports.get(i)[0]).name(imports.get(i)[1]).u8(0x00).u32(i);
    }
    out.section(WasmModuleBinary.SECTION_IMPORT, imp.toByteArray());
    out.section(
        WasmModuleBinary.SECTION_FUNCTION,
        new ByteWriter().u32(1).u32(imports.size()).toByteArray());
    ByteWriter mem = new ByteWriter().u32(1);
    if (memoryMax < 0) {
      mem.u8(0x00).u32(memoryMin);
    } else {
      mem.u8(0x01).u32(memoryMin).u32(memoryMax);
    }
    out.section(WasmModuleBinary.SECTION_MEMORY, mem.toByteArray());
    ByteWriter exp = new ByteWriter().u32(exports.size());
    for (String e : exports) {
      if (e.equals("memory")) {
        exp.name(e).u8(0x02).u32(0);
      } else {
        exp.name(e).u8(0x00).u32(imports.size());
      }
    }
    out.section(WasmModuleBinary.SECTION_EXPORT, exp.toByteArray());
    if (copyFrom >= 0) {
      out.section(
          WasmModuleBinary.SECTION_START, new ByteWriter().u32(imports.size()).toByteArray());
    }
    ByteWriter body = new ByteWriter().u8(0x00); // no locals
    if (copyFrom >= 0) {
      body.u8(0x41).s32(copyTo).u8(0x41).s32(copyFrom);
      body.raw(0x2D, 0x00, 0x00, 0x3A, 0x00, 0x00); // i32.store8(to, i32.load8_u(from))
    }
    byte[] bodyBytes = body.u8(0x0B).toByteArray();
    out.section(
        WasmModuleBinary.SECTION_CODE,
        new ByteWriter().u32(1).u32(bodyBytes.length).bytes(bodyBytes).toByteArray());
    if (!data.isEmpty()) {
      ByteWriter d = new ByteWriter().u32(data.size());
      for (int i = 0; i < data.size(); i++) {
        d.raw(0x00, 0x41).s32(dataOffsets.get(i)).u8(0x0B).u32(data.get(i).length);
        d.bytes(data.get(i));
      }
      out.section(WasmModuleBinary.SECTION_DATA, d.toByteArray());
    }
    return out.toByteArray();
  }

  /** Signature codes like "iI": i = i32, I = i64. */
  private static void valTypes(ByteWriter out, String codes) {
    out.u32(codes.length());
    for (char c : codes.toCharArray()) {
      out.u8(c == 'I' ? 0x7E : 0x7F);
    }
  }
}

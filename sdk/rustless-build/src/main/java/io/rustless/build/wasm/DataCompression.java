package io.rustless.build.wasm;

import io.rustless.build.wasm.WasmModuleBinary.DataSegment;
import io.rustless.build.wasm.WasmModuleBinary.Section;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a module's initial memory image zero-byte-elided and unpacks it from the start function.
 *
 * <p>TeaVM's static data is class records, UTF-16 strings and small integers: after the long zero
 * runs are cut out, about half of what is left is still zero bytes (the high byte of every ASCII
 * character, the high bytes of every small int). Each 8-byte group is stored as a mask byte plus
 * its non-zero bytes, which takes a plugin's data from ~38 KB to ~21 KB. A 100-byte decoder, run as
 * the start function before TeaVM's own start code, writes the bytes to their addresses, then
 * zeroes the packed stream it read from so memory is exactly what the original segments would have
 * made.
 *
 * <p>The stream is one active segment placed right above the highest initialised address, inside
 * memory the runtime only uses after its start code has run; the initial memory grows by the page
 * or so that needs.
 */
final class DataCompression {
  /** Gaps up to this many zero bytes cost less as mask bits than as a new run header. */
  private static final int MERGE_GAP = 64;

  private static final int RUN_HEADER = 8;
  private static final long PAGE = 65536;

  private DataCompression() {}

  /**
   * The compressed module, or {@code module} itself when it has no plain active data segments,
   * imports its memory, or would not get smaller.
   */
  static WasmModuleBinary apply(WasmModuleBinary module) {
    if (module.importsMemory()) {
      return module; // an imported memory may hold anything: zeros must be written
    }
    List<DataSegment> runs = runs(module);
    if (runs == null || runs.isEmpty()) {
      return module;
    }
    byte[] stream = encode(runs);
    DataSegment last = runs.get(runs.size() - 1);
    int streamAddress = align8(last.address() + last.bytes().length);
    int streamEnd = align8(streamAddress + stream.length);
    List<WasmModuleBinary.MemoryLimits> memories = module.memories();
    if (memories.size() != 1) {
      return module;
    }
    WasmModuleBinary out = module;
    WasmModuleBinary.MemoryLimits memory = memories.get(0);
    long pages = (streamEnd + PAGE - 1) / PAGE;
    if (memory.min() < pages) {
      // TeaVM starts with just the pages its data needs and grows from there; one more page
      // holds the stream (TeaVM computes its growth from its own limit, so this is spare room)
      if (memory.max() >= 0 && memory.max() < pages) {
        return module;
      }
      ByteWriter limits = new ByteWriter().u32(1);
      if (memory.max() >= 0) {
        limits.u8(0x01).u32(pages).u32(memory.max());
      } else {
        limits.u8(0x00).u32(pages);
      }
      out = out.withSection(new Section(WasmModuleBinary.SECTION_MEMORY, limits.toByteArray()));
    }
    int importedFunctions =
        (int)
            module.imports().stream()
                .filter(i -> i.kind() == WasmModuleBinary.Import.FUNCTION)
                .count();
    int decoderIndex = importedFunctions + module.vectorLength(WasmModuleBinary.SECTION_FUNCTION);
    int typeIndex = voidType(module);
    if (typeIndex == module.types().size()) {
      out = out.withAppended(WasmModuleBinary.SECTION_TYPE, new byte[] {0x60, 0x00, 0x00});
    }
    byte[] body =
        decoder(streamAddress, streamAddress + stream.length, streamEnd, module.startFunction());
    out =
        out.withAppended(
                WasmModuleBinary.SECTION_FUNCTION, new ByteWriter().u32(typeIndex).toByteArray())
            .withAppended(
                WasmModuleBinary.SECTION_CODE,
                new ByteWriter().u32(body.length).bytes(body).toByteArray())
            .withSection(
                new Section(
                    WasmModuleBinary.SECTION_START,
                    new ByteWriter().u32(decoderIndex).toByteArray()))
            .withDataSegments(List.of(new DataSegment(streamAddress, stream)));
    return out.toBytes().length < module.toBytes().length ? out : module;
  }

  /** Active segments merged into runs sorted by address; null if a segment is not plain. */
  static List<DataSegment> runs(WasmModuleBinary module) {
    List<DataSegment> segments = module.activeDataSegments();
    if (segments == null) {
      return null;
    }
    segments = new ArrayList<>(segments);
    segments.sort((a, b) -> Integer.compare(a.address(), b.address()));
    List<DataSegment> runs = new ArrayList<>();
    int runStart = -1;
    byte[] buffer = new byte[0];
    int runEnd = -1;
    for (DataSegment s : segments) {
      int end = s.address() + s.bytes().length;
      if (runStart >= 0 && s.address() < runEnd) {
        return null; // overlapping segments: later ones win, which this format cannot express
      }
      if (runStart >= 0 && s.address() - runEnd <= MERGE_GAP) {
        byte[] grown = new byte[end - runStart];
        System.arraycopy(buffer, 0, grown, 0, buffer.length);
        System.arraycopy(s.bytes(), 0, grown, s.address() - runStart, s.bytes().length);
        buffer = grown;
        runEnd = end;
        continue;
      }
      if (runStart >= 0) {
        runs.add(new DataSegment(runStart, buffer));
      }
      runStart = s.address();
      buffer = s.bytes().clone();
      runEnd = end;
    }
    if (runStart >= 0) {
      runs.add(new DataSegment(runStart, buffer));
    }
    return runs;
  }

  /** Per run: address and length (u32 little-endian), then mask byte + non-zero bytes per 8. */
  static byte[] encode(List<DataSegment> runs) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (DataSegment run : runs) {
      le32(out, run.address());
      le32(out, run.bytes().length);
      byte[] b = run.bytes();
      for (int g = 0; g < b.length; g += 8) {
        int mask = 0;
        for (int j = 0; j < 8 && g + j < b.length; j++) {
          if (b[g + j] != 0) {
            mask |= 1 << j;
          }
        }
        out.write(mask);
        for (int j = 0; j < 8 && g + j < b.length; j++) {
          if (b[g + j] != 0) {
            out.write(b[g + j]);
          }
        }
      }
    }
    return out.toByteArray();
  }

  /** The decoder's function body; locals: 0 src, 1 dst, 2 runEnd, 3 mask, 4 p. */
  private static byte[] decoder(int stream, int streamEnd, int zeroEnd, int next) {
    Code c = new Code();
    c.raw(0x01, 0x05, 0x7F); // five i32 locals
    c.i32(stream).set(0);
    c.raw(0x02, 0x40); // block $done
    c.raw(0x03, 0x40); //   loop $run
    c.get(0).i32(streamEnd).raw(0x4F).raw(0x0D, 0x01); // src >= end -> $done
    c.get(0).raw(0x28, 0x00, 0x00).set(1); // dst = load32(src)
    c.get(1).get(0).raw(0x28, 0x00, 0x04).raw(0x6A).set(2); // runEnd = dst + load32(src + 4)
    c.get(0).i32(RUN_HEADER).raw(0x6A).set(0);
    c.raw(0x02, 0x40); //     block $runDone
    c.raw(0x03, 0x40); //       loop $group
    c.get(1).get(2).raw(0x4F).raw(0x0D, 0x01); // dst >= runEnd -> $runDone
    c.get(0).raw(0x2D, 0x00, 0x00).set(3); // mask = load8(src)
    c.get(0).i32(1).raw(0x6A).set(0);
    c.get(1).set(4);
    c.raw(0x02, 0x40); //         block $groupDone
    c.raw(0x03, 0x40); //           loop $bit
    c.get(3).raw(0x45).raw(0x0D, 0x01); // mask == 0 -> $groupDone
    c.get(3).i32(1).raw(0x71).raw(0x04, 0x40); // if (mask & 1)
    c.get(4).get(0).raw(0x2D, 0x00, 0x00).raw(0x3A, 0x00, 0x00); // store8(p, load8(src))
    c.get(0).i32(1).raw(0x6A).set(0);
    c.raw(0x0B); // end if
    c.get(3).i32(1).raw(0x76).set(3); // mask >>>= 1
    c.get(4).i32(1).raw(0x6A).set(4);
    c.raw(0x0C, 0x00); // br $bit
    c.raw(0x0B, 0x0B); // end loop, end block
    c.get(1).i32(8).raw(0x6A).set(1);
    c.raw(0x0C, 0x00); // br $group
    c.raw(0x0B, 0x0B);
    c.raw(0x0C, 0x00); // br $run
    c.raw(0x0B, 0x0B);
    // zero the stream: memory must look as if it had never been there
    c.i32(stream).set(0);
    c.raw(0x02, 0x40, 0x03, 0x40);
    c.get(0).i32(zeroEnd).raw(0x4F).raw(0x0D, 0x01);
    c.get(0).raw(0x42, 0x00).raw(0x37, 0x03, 0x00); // i64.store(src, 0)
    c.get(0).i32(8).raw(0x6A).set(0);
    c.raw(0x0C, 0x00);
    c.raw(0x0B, 0x0B);
    if (next >= 0) {
      c.raw(0x10);
      c.w.u32(next);
    }
    c.raw(0x0B);
    return c.w.toByteArray();
  }

  /** A tiny instruction writer for the decoder. */
  private static final class Code {
    final ByteWriter w = new ByteWriter();

    Code raw(int... bytes) {
      for (int b : bytes) {
        w.u8(b);
      }
      return this;
    }

    Code get(int local) {
      w.u8(0x20).u32(local);
      return this;
    }

    Code set(int local) {
      w.u8(0x21).u32(local);
      return this;
    }

    Code i32(int value) {
      w.u8(0x41);
      WasmModuleBinary.signedLeb(w, value);
      return this;
    }
  }

  private static int align8(int address) {
    return (address + 7) & ~7;
  }

  private static void le32(java.io.ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }

  /** Index of a {@code ()->()} type; the type count if the module has none yet. */
  private static int voidType(WasmModuleBinary module) {
    List<WasmModuleBinary.FuncType> types = module.types();
    for (int t = 0; t < types.size(); t++) {
      if (types.get(t).params().isEmpty() && types.get(t).results().isEmpty()) {
        return t;
      }
    }
    return types.size();
  }
}

package io.rustless.build.wasm;

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

  /** A run of initial memory: its address and bytes. */
  record Run(int address, byte[] bytes) {}

  /**
   * The compressed module, or {@code module} itself when it has no plain active data segments,
   * imports its memory, or would not get smaller.
   */
  static WasmModuleBinary apply(WasmModuleBinary module) {
    if (module.imports().stream().anyMatch(i -> i.kind() == 2)) {
      return module; // an imported memory may hold anything: zeros must be written
    }
    List<Run> runs = runs(module);
    if (runs == null || runs.isEmpty()) {
      return module;
    }
    byte[] stream = encode(runs);
    Run last = runs.get(runs.size() - 1);
    int streamAddress = align8(last.address() + last.bytes().length);
    int streamEnd = align8(streamAddress + stream.length);
    List<WasmModuleBinary.MemoryLimits> memories = module.memories();
    if (memories.size() != 1) {
      return module;
    }
    List<Section> sections = new ArrayList<>(module.sections());
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
      replaceSection(sections, new Section(WasmModuleBinary.SECTION_MEMORY, limits.toByteArray()));
    }
    int importedFunctions =
        (int)
            module.imports().stream()
                .filter(i -> i.kind() == WasmModuleBinary.Import.FUNCTION)
                .count();
    int definedFunctions = count(sections, WasmModuleBinary.SECTION_FUNCTION);
    int decoderIndex = importedFunctions + definedFunctions;
    Integer previousStart = startFunction(sections);

    int typeIndex = appendVoidType(sections);
    appendToVector(
        sections, WasmModuleBinary.SECTION_FUNCTION, new ByteWriter().u32(typeIndex).toByteArray());
    byte[] body = decoder(streamAddress, streamAddress + stream.length, streamEnd, previousStart);
    appendToVector(
        sections,
        WasmModuleBinary.SECTION_CODE,
        new ByteWriter().u32(body.length).bytes(body).toByteArray());
    setStart(sections, decoderIndex);

    ByteWriter segment = new ByteWriter().u32(1).u8(0).u8(0x41);
    WasmModuleBinary.signedLeb(segment, streamAddress);
    segment.u8(0x0B).u32(stream.length).bytes(stream);
    replaceSection(sections, new Section(WasmModuleBinary.SECTION_DATA, segment.toByteArray()));
    int dataCount = indexOf(sections, WasmModuleBinary.SECTION_DATA_COUNT);
    if (dataCount >= 0) {
      sections.set(
          dataCount,
          new Section(WasmModuleBinary.SECTION_DATA_COUNT, new ByteWriter().u32(1).toByteArray()));
    }
    WasmModuleBinary out = WasmModuleBinary.of(sections);
    return out.toBytes().length < module.toBytes().length ? out : module;
  }

  /** Active segments merged into runs sorted by address; null if a segment is not plain. */
  static List<Run> runs(WasmModuleBinary module) {
    int index = indexOf(module.sections(), WasmModuleBinary.SECTION_DATA);
    if (index < 0) {
      return List.of();
    }
    Section data = module.sections().get(index);
    ByteReader r = new ByteReader(data.payload(), 0, data.payload().length);
    long n = r.u32();
    List<Run> segments = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      if (r.u8() != 0 || r.u8() != 0x41) {
        return null; // passive, explicit memory, or a non-constant offset
      }
      long offset = WasmModuleBinary.signedLeb(r);
      if (r.u8() != 0x0B || offset < 0) {
        return null;
      }
      int len = r.u32AsInt();
      int start = r.position();
      r.skip(len);
      byte[] bytes = new byte[len];
      System.arraycopy(data.payload(), start, bytes, 0, len);
      segments.add(new Run((int) offset, bytes));
    }
    segments.sort((a, b) -> Integer.compare(a.address(), b.address()));
    List<Run> runs = new ArrayList<>();
    int runStart = -1;
    byte[] buffer = new byte[0];
    int runEnd = -1;
    for (Run s : segments) {
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
        runs.add(new Run(runStart, buffer));
      }
      runStart = s.address();
      buffer = s.bytes().clone();
      runEnd = end;
    }
    if (runStart >= 0) {
      runs.add(new Run(runStart, buffer));
    }
    return runs;
  }

  /** Per run: address and length (u32 little-endian), then mask byte + non-zero bytes per 8. */
  static byte[] encode(List<Run> runs) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Run run : runs) {
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
  private static byte[] decoder(int stream, int streamEnd, int zeroEnd, Integer next) {
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
    if (next != null) {
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

  private static int indexOf(List<Section> sections, int id) {
    for (int i = 0; i < sections.size(); i++) {
      if (sections.get(i).id() == id) {
        return i;
      }
    }
    return -1;
  }

  private static int count(List<Section> sections, int id) {
    int i = indexOf(sections, id);
    if (i < 0) {
      return 0;
    }
    Section s = sections.get(i);
    return new ByteReader(s.payload(), 0, s.payload().length).u32AsInt();
  }

  private static Integer startFunction(List<Section> sections) {
    int i = indexOf(sections, WasmModuleBinary.SECTION_START);
    if (i < 0) {
      return null;
    }
    Section s = sections.get(i);
    return new ByteReader(s.payload(), 0, s.payload().length).u32AsInt();
  }

  private static void setStart(List<Section> sections, int function) {
    Section start =
        new Section(WasmModuleBinary.SECTION_START, new ByteWriter().u32(function).toByteArray());
    int i = indexOf(sections, WasmModuleBinary.SECTION_START);
    if (i >= 0) {
      sections.set(i, start);
      return;
    }
    // the start section sits after exports and before elements, code and data
    int at = sections.size();
    for (int k = 0; k < sections.size(); k++) {
      int id = sections.get(k).id();
      if (id >= WasmModuleBinary.SECTION_ELEMENT && id != 0) {
        at = k;
        break;
      }
    }
    sections.add(at, start);
  }

  /** Index of a {@code ()->()} type, appending one if the module has none. */
  private static int appendVoidType(List<Section> sections) {
    int i = indexOf(sections, WasmModuleBinary.SECTION_TYPE);
    List<WasmModuleBinary.FuncType> types = WasmModuleBinary.of(sections).types();
    for (int t = 0; t < types.size(); t++) {
      if (types.get(t).params().isEmpty() && types.get(t).results().isEmpty()) {
        return t;
      }
    }
    if (i < 0) {
      throw new WasmFormatException("module has no type section");
    }
    appendToVector(sections, WasmModuleBinary.SECTION_TYPE, new byte[] {0x60, 0x00, 0x00});
    return types.size();
  }

  /** Appends one encoded element to a section that is a vector (count + elements). */
  private static void appendToVector(List<Section> sections, int id, byte[] element) {
    int i = indexOf(sections, id);
    if (i < 0) {
      throw new WasmFormatException("module has no section " + id);
    }
    Section s = sections.get(i);
    ByteReader r = new ByteReader(s.payload(), 0, s.payload().length);
    long n = r.u32();
    byte[] rest = new byte[s.payload().length - r.position()];
    System.arraycopy(s.payload(), r.position(), rest, 0, rest.length);
    sections.set(
        i, new Section(id, new ByteWriter().u32(n + 1).bytes(rest).bytes(element).toByteArray()));
  }

  private static void replaceSection(List<Section> sections, Section replacement) {
    sections.set(indexOf(sections, replacement.id()), replacement);
  }
}

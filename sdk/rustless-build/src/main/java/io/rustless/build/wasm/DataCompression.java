package io.rustless.build.wasm;

import io.rustless.wasm.ByteWriter;
import io.rustless.wasm.WasmModuleBinary;
import io.rustless.wasm.WasmModuleBinary.DataSegment;
import io.rustless.wasm.WasmModuleBinary.Section;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a module's initial memory image LZ77-compressed and unpacks it from the start function.
 *
 * <p>TeaVM's static data is class records with vtables (runs of similar pointers), call-site
 * tables, UTF-16 strings and zero padding: a byte-oriented LZ77 with zero runs and a "same distance
 * as last time" match takes a plugin's 90 KB image to ~16 KB (a zero-byte mask format did ~29 KB,
 * deflate ~12 KB but needs a Huffman decoder). A ~200-byte decoder, run as the start function
 * before TeaVM's own start code, writes the image to its addresses, then zeroes the stream it read
 * from so memory is exactly what the original segments would have made.
 *
 * <p>The stream is one active segment placed right above the highest initialised address, inside
 * memory the runtime only uses after its start code has run; the initial memory grows by the page
 * or so that needs.
 *
 * <p>Stream format, repeated until the stream ends: {@code cmd} (unsigned LEB128), {@code n = cmd
 * >>> 2}, then by {@code cmd & 3}: 0 = {@code n + 1} literal bytes follow; 1 = {@code n + 1} zero
 * bytes (skipped: fresh memory is zero); 2 = copy {@code n + 3} bytes from {@code distance} bytes
 * back, the distance (LEB128) follows; 3 = the same with the previous distance.
 */
public final class DataCompression {
  static final int MIN_MATCH = 3;
  private static final int HASH_BITS = 15;
  private static final int MAX_CHAIN = 256;
  private static final long PAGE = 65536;

  private DataCompression() {}

  /**
   * The compressed module, or {@code module} itself when it has no plain active data segments,
   * imports its memory, or would not get smaller.
   */
  /** {@code module} with its data compressed, or {@code module} if that is not smaller. */
  public static WasmModuleBinary apply(WasmModuleBinary module) {
    if (module.importsMemory()) {
      return module; // an imported memory may hold anything: zeros must be written
    }
    DataSegment image = image(module);
    if (image == null) {
      return module;
    }
    byte[] stream = encode(image.bytes());
    int streamAddress = align8(image.address() + image.bytes().length);
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
    int decoderIndex = module.nextFunctionIndex();
    int typeIndex = voidType(module);
    if (typeIndex == module.types().size()) {
      out = out.withAppended(WasmModuleBinary.SECTION_TYPE, new byte[] {0x60, 0x00, 0x00});
    }
    byte[] body =
        decoder(
            image.address(),
            streamAddress,
            streamAddress + stream.length,
            streamEnd,
            module.startFunction());
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

  /**
   * All active segments as one image from the lowest to the highest initialised address, gaps zero;
   * null if there is none or a segment is not plain or overlaps another (later ones would win,
   * which one image cannot express).
   */
  static DataSegment image(WasmModuleBinary module) {
    List<DataSegment> segments = module.activeDataSegments();
    if (segments == null || segments.isEmpty()) {
      return null;
    }
    segments = new ArrayList<>(segments);
    segments.sort((a, b) -> Integer.compare(a.address(), b.address()));
    int base = segments.get(0).address();
    long end = base;
    for (DataSegment s : segments) {
      if (s.address() < end) {
        return null;
      }
      end = (long) s.address() + s.bytes().length;
    }
    if (end - base > Integer.MAX_VALUE / 2) {
      return null;
    }
    byte[] image = new byte[(int) (end - base)];
    for (DataSegment s : segments) {
      System.arraycopy(s.bytes(), 0, image, s.address() - base, s.bytes().length);
    }
    return new DataSegment(base, image);
  }

  /** Greedy LZ77 with one step of lazy matching; deterministic for a given image. */
  static byte[] encode(byte[] data) {
    ByteWriter out = new ByteWriter();
    int n = data.length;
    int[] head = new int[1 << HASH_BITS];
    java.util.Arrays.fill(head, -1);
    int[] prev = new int[n];
    int inserted = 0;
    int literalStart = 0;
    int lastDistance = 0;
    int i = 0;
    while (i < n) {
      for (; inserted < i; inserted++) {
        insert(data, inserted, head, prev);
      }
      if (data[i] == 0) {
        int j = i;
        while (j < n && data[j] == 0) {
          j++;
        }
        if (j - i >= 2 || j == n) {
          literals(out, data, literalStart, i);
          out.u32(((long) (j - i - 1) << 2) | 1);
          i = j;
          literalStart = i;
          continue;
        }
      }
      long match = longestMatch(data, i, head, prev, lastDistance);
      int length = (int) (match >>> 32);
      int distance = (int) match;
      if (length >= MIN_MATCH) {
        insert(data, i, head, prev);
        inserted = i + 1;
        long next = longestMatch(data, i + 1, head, prev, lastDistance);
        if ((int) (next >>> 32) > length + 1) {
          i++; // a longer match one byte later: this byte becomes a literal
          continue;
        }
        boolean repeat = distance == lastDistance;
        int cost =
            ulebLength((long) (length - MIN_MATCH) << 2) + (repeat ? 0 : ulebLength(distance));
        if (cost < length) {
          literals(out, data, literalStart, i);
          out.u32(((long) (length - MIN_MATCH) << 2) | (repeat ? 3 : 2));
          if (!repeat) {
            out.u32(distance);
          }
          lastDistance = distance;
          i += length;
          literalStart = i;
          continue;
        }
      }
      i++;
    }
    literals(out, data, literalStart, n);
    return out.toByteArray();
  }

  private static void literals(ByteWriter out, byte[] data, int from, int to) {
    if (to > from) {
      out.u32((long) (to - from - 1) << 2);
      for (int k = from; k < to; k++) {
        out.u8(data[k]);
      }
    }
  }

  private static int hash(byte[] d, int p) {
    int key = (d[p] & 0xFF) | (d[p + 1] & 0xFF) << 8 | (d[p + 2] & 0xFF) << 16;
    return (key * 0x9E3779B1) >>> (32 - HASH_BITS);
  }

  private static void insert(byte[] data, int p, int[] head, int[] prev) {
    if (p + MIN_MATCH <= data.length) {
      int h = hash(data, p);
      prev[p] = head[h];
      head[h] = p;
    }
  }

  /** (length << 32 | distance) of the longest earlier match at {@code p}; ties go to the last. */
  private static long longestMatch(byte[] data, int p, int[] head, int[] prev, int lastDistance) {
    int n = data.length;
    if (p + MIN_MATCH > n) {
      return 0;
    }
    int bestLength = 0;
    int bestDistance = 0;
    if (lastDistance > 0 && lastDistance <= p) {
      bestLength = matchLength(data, p - lastDistance, p);
      bestDistance = lastDistance;
    }
    int candidate = head[hash(data, p)];
    for (int steps = 0; candidate >= 0 && steps < MAX_CHAIN; steps++) {
      if (candidate < p) {
        int length = matchLength(data, candidate, p);
        if (length > bestLength) {
          bestLength = length;
          bestDistance = p - candidate;
        }
      }
      candidate = prev[candidate];
    }
    return (long) bestLength << 32 | bestDistance;
  }

  private static int matchLength(byte[] data, int from, int p) {
    int length = 0;
    while (p + length < data.length && data[from + length] == data[p + length]) {
      length++;
    }
    return length;
  }

  private static int ulebLength(long v) {
    int length = 1;
    while (v >= 0x80) {
      v >>>= 7;
      length++;
    }
    return length;
  }

  // locals of the decoder
  private static final int SRC = 0;
  private static final int DST = 1;
  private static final int CMD = 2;
  private static final int LEN = 3;
  private static final int DIST = 4;
  private static final int SHIFT = 5;
  private static final int BYTE = 6;

  /** The decoder's function body: see the class comment for the format. */
  private static byte[] decoder(int base, int stream, int streamEnd, int zeroEnd, int next) {
    Code c = new Code();
    c.raw(0x01, 0x07, 0x7F); // seven i32 locals
    c.i32(stream).set(SRC);
    c.i32(base).set(DST);
    c.raw(0x02, 0x40); // block $done
    c.raw(0x03, 0x40); //   loop $next
    c.get(SRC).i32(streamEnd).raw(0x4F).raw(0x0D, 0x01); // src >= end -> $done
    uleb(c, CMD);
    c.get(CMD).i32(2).raw(0x76).set(LEN); // len = cmd >>> 2
    c.get(CMD).i32(3).raw(0x71).raw(0x45).raw(0x04, 0x40); // if kind == 0: literals
    c.get(LEN).i32(1).raw(0x6A).set(LEN);
    c.get(DST).get(SRC).get(LEN).raw(0xFC, 0x0A, 0x00, 0x00); // memory.copy
    c.get(DST).get(LEN).raw(0x6A).set(DST);
    c.get(SRC).get(LEN).raw(0x6A).set(SRC);
    c.raw(0x05); // else
    c.get(CMD).i32(3).raw(0x71).i32(1).raw(0x46).raw(0x04, 0x40); // if kind == 1: zeros
    c.get(DST).get(LEN).raw(0x6A).i32(1).raw(0x6A).set(DST);
    c.raw(0x05); // else: a match
    c.get(CMD).i32(3).raw(0x71).i32(2).raw(0x46).raw(0x04, 0x40); // if kind == 2
    uleb(c, DIST);
    c.raw(0x0B);
    c.get(LEN).i32(MIN_MATCH).raw(0x6A).set(LEN);
    c.get(DIST).get(LEN).raw(0x4F).raw(0x04, 0x40); // if dist >= len: no overlap
    c.get(DST).get(DST).get(DIST).raw(0x6B).get(LEN).raw(0xFC, 0x0A, 0x00, 0x00);
    c.get(DST).get(LEN).raw(0x6A).set(DST);
    c.raw(0x05); // else: byte by byte, the copy reads what it just wrote
    c.raw(0x02, 0x40, 0x03, 0x40);
    c.get(LEN).raw(0x45).raw(0x0D, 0x01);
    c.get(DST).get(DST).get(DIST).raw(0x6B).raw(0x2D, 0x00, 0x00).raw(0x3A, 0x00, 0x00);
    c.get(DST).i32(1).raw(0x6A).set(DST);
    c.get(LEN).i32(1).raw(0x6B).set(LEN);
    c.raw(0x0C, 0x00);
    c.raw(0x0B, 0x0B);
    c.raw(0x0B); // end if dist >= len
    c.raw(0x0B); // end if kind == 1
    c.raw(0x0B); // end if kind == 0
    c.raw(0x0C, 0x00); // br $next
    c.raw(0x0B, 0x0B);
    // zero the stream: memory must look as if it had never been there
    c.i32(stream).set(SRC);
    c.raw(0x02, 0x40, 0x03, 0x40);
    c.get(SRC).i32(zeroEnd).raw(0x4F).raw(0x0D, 0x01);
    c.get(SRC).raw(0x42, 0x00).raw(0x37, 0x03, 0x00); // i64.store(src, 0)
    c.get(SRC).i32(8).raw(0x6A).set(SRC);
    c.raw(0x0C, 0x00);
    c.raw(0x0B, 0x0B);
    if (next >= 0) {
      c.raw(0x10);
      c.w.u32(next);
    }
    c.raw(0x0B);
    return c.w.toByteArray();
  }

  /** Reads an unsigned LEB128 at {@code src} into {@code local}, advancing {@code src}. */
  private static void uleb(Code c, int local) {
    c.i32(0).set(local).i32(0).set(SHIFT);
    c.raw(0x03, 0x40); // loop
    c.get(SRC).raw(0x2D, 0x00, 0x00).set(BYTE);
    c.get(SRC).i32(1).raw(0x6A).set(SRC);
    c.get(local).get(BYTE).i32(0x7F).raw(0x71).get(SHIFT).raw(0x74).raw(0x72).set(local);
    c.get(SHIFT).i32(7).raw(0x6A).set(SHIFT);
    c.get(BYTE).i32(0x80).raw(0x71).raw(0x0D, 0x00);
    c.raw(0x0B);
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
      w.u8(0x41).s32(value);
      return this;
    }
  }

  private static int align8(int address) {
    return (address + 7) & ~7;
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

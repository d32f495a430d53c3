package io.rustless.wasm;

import java.nio.charset.StandardCharsets;

/** Sequential reads of the Wasm binary encoding (LEB128, names, bytes), bounds-checked. */
public final class ByteReader {
  private final byte[] data;
  private int pos;
  private final int end;

  /** Reads {@code data} from {@code start} up to (not including) {@code end}. */
  public ByteReader(byte[] data, int start, int end) {
    this.data = data;
    this.pos = start;
    this.end = end;
  }

  public boolean hasMore() {
    return pos < end;
  }

  public int position() {
    return pos;
  }

  public int u8() {
    if (pos >= end) {
      throw new WasmFormatException("unexpected end of module at offset " + pos);
    }
    return data[pos++] & 0xFF;
  }

  /** An unsigned LEB128 of at most 32 bits. */
  public long u32() {
    long result = 0;
    int shift = 0;
    while (true) {
      int b = u8();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
      if (shift > 35) {
        throw new WasmFormatException("LEB128 value too long at offset " + pos);
      }
    }
    if (result > 0xFFFFFFFFL) {
      throw new WasmFormatException("u32 out of range at offset " + pos);
    }
    return result;
  }

  /** {@link #u32()} as an int; a value above {@code Integer.MAX_VALUE} is a format error. */
  public int u32AsInt() {
    long v = u32();
    if (v > Integer.MAX_VALUE) {
      throw new WasmFormatException("value too large at offset " + pos);
    }
    return (int) v;
  }

  /** A signed LEB128 of at most 64 bits (what {@code i32.const} and {@code i64.const} hold). */
  public long s64() {
    long result = 0;
    int shift = 0;
    int b;
    do {
      b = u8();
      result |= (long) (b & 0x7F) << shift;
      shift += 7;
      if (shift > 70) {
        throw new WasmFormatException("LEB128 value too long at offset " + pos);
      }
    } while ((b & 0x80) != 0);
    if (shift < 64 && (b & 0x40) != 0) {
      result |= -1L << shift;
    }
    return result;
  }

  /** A length-prefixed UTF-8 name. */
  public String name() {
    int len = u32AsInt();
    if (pos + len > end) {
      throw new WasmFormatException("name runs past its section at offset " + pos);
    }
    String s = new String(data, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  public void skip(int n) {
    if (n < 0 || pos + n > end) {
      throw new WasmFormatException("unexpected end of section at offset " + pos);
    }
    pos += n;
  }
}

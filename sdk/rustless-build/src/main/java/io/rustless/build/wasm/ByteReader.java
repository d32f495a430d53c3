package io.rustless.build.wasm;

import java.nio.charset.StandardCharsets;

/** Sequential reads of the Wasm binary encoding (LEB128, names, bytes). */
final class ByteReader {
  private final byte[] data;
  private int pos;
  private final int end;

  ByteReader(byte[] data, int start, int end) {
    this.data = data;
    this.pos = start;
    this.end = end;
  }

  boolean hasMore() {
    return pos < end;
  }

  int position() {
    return pos;
  }

  int u8() {
    if (pos >= end) {
      throw new WasmFormatException("unexpected end of module at offset " + pos);
    }
    return data[pos++] & 0xFF;
  }

  long u32() {
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

  int u32AsInt() {
    long v = u32();
    if (v > Integer.MAX_VALUE) {
      throw new WasmFormatException("value too large at offset " + pos);
    }
    return (int) v;
  }

  String name() {
    int len = u32AsInt();
    if (pos + len > end) {
      throw new WasmFormatException("name runs past its section at offset " + pos);
    }
    String s = new String(data, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  void skip(int n) {
    if (pos + n > end) {
      throw new WasmFormatException("unexpected end of section at offset " + pos);
    }
    pos += n;
  }
}

package io.rustless.build.wasm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the Wasm binary encoding. */
final class ByteWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  ByteWriter u8(int b) {
    out.write(b);
    return this;
  }

  ByteWriter u32(long value) {
    long v = value;
    do {
      int b = (int) (v & 0x7F);
      v >>>= 7;
      if (v != 0) {
        b |= 0x80;
      }
      out.write(b);
    } while (v != 0);
    return this;
  }

  ByteWriter name(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u32(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  ByteWriter bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  ByteWriter bytes(byte[] b, int offset, int length) {
    out.write(b, offset, length);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}

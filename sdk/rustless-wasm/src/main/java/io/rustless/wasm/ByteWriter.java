package io.rustless.wasm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the Wasm binary encoding. */
public final class ByteWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public ByteWriter u8(int b) {
    out.write(b);
    return this;
  }

  /** Each of {@code bytes} as one byte (for hand-written instruction sequences). */
  public ByteWriter raw(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  /** An unsigned LEB128. */
  public ByteWriter u32(long value) {
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

  /** A signed LEB128 of an i32 (what {@code i32.const} takes). */
  public ByteWriter s32(int value) {
    int v = value;
    boolean more = true;
    while (more) {
      int b = v & 0x7F;
      v >>= 7;
      if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) {
        more = false;
      } else {
        b |= 0x80;
      }
      out.write(b);
    }
    return this;
  }

  /** A length-prefixed UTF-8 name. */
  public ByteWriter name(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u32(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  public ByteWriter bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  public ByteWriter bytes(byte[] b, int offset, int length) {
    out.write(b, offset, length);
    return this;
  }

  /** A section: its id, its size, then {@code payload}. */
  public ByteWriter section(int id, byte[] payload) {
    return u8(id).u32(payload.length).bytes(payload);
  }

  public int size() {
    return out.size();
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}

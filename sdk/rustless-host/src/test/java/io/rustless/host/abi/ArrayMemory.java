package io.rustless.host.abi;

import java.util.Arrays;

/**
 * A guest memory that is a plain array, with a bump allocator above {@code heapStart}: what a
 * second engine would provide, to show the host functions need nothing of Chicory.
 */
final class ArrayMemory implements GuestMemory {
  final byte[] bytes;
  private int top;

  ArrayMemory(int size, int heapStart) {
    this.bytes = new byte[size];
    this.top = heapStart;
  }

  @Override
  public byte[] read(int ptr, int len) {
    GuestMemory.check(ptr, len, bytes.length);
    return Arrays.copyOfRange(bytes, ptr, ptr + len);
  }

  @Override
  public void write(int ptr, byte[] data) {
    GuestMemory.check(ptr, data.length, bytes.length);
    System.arraycopy(data, 0, bytes, ptr, data.length);
  }

  @Override
  public void writeI32(int ptr, int value) {
    GuestMemory.check(ptr, 4, bytes.length);
    for (int i = 0; i < 4; i++) {
      bytes[ptr + i] = (byte) (value >>> (8 * i));
    }
  }

  @Override
  public void writeI64(int ptr, long value) {
    writeI32(ptr, (int) value);
    writeI32(ptr + 4, (int) (value >>> 32));
  }

  @Override
  public int allocate(int size) {
    if (top + size > bytes.length) {
      return 0;
    }
    int at = top;
    top += size;
    return at;
  }

  int i32(int ptr) {
    return (bytes[ptr] & 0xFF)
        | (bytes[ptr + 1] & 0xFF) << 8
        | (bytes[ptr + 2] & 0xFF) << 16
        | (bytes[ptr + 3] & 0xFF) << 24;
  }

  /** Puts {@code text} at {@code ptr}; its length. */
  int put(int ptr, String text) {
    byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    write(ptr, b);
    return b.length;
  }
}

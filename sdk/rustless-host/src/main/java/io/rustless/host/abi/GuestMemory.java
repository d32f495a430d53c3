package io.rustless.host.abi;

import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.Status;
import java.nio.charset.StandardCharsets;

/**
 * A plugin's linear memory as the host functions see it, whatever engine runs the plugin. Reads and
 * writes are bounds-checked: a bad pointer is {@link BadPointer} (the host functions answer {@code
 * INVALID_MEMORY_ACCESS}), never a host crash. Results go into memory the module allocates through
 * {@code proxy_on_memory_allocate}, exactly as Envoy does it.
 *
 * <p>Pointers are the ABI's {@code i32}s, read as unsigned.
 */
public interface GuestMemory {

  /** A pointer and length outside the module's memory. */
  final class BadPointer extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadPointer(String message) {
      super(message);
    }
  }

  /** A copy of {@code len} bytes at {@code ptr}. */
  byte[] read(int ptr, int len);

  void write(int ptr, byte[] data);

  void writeI32(int ptr, int value);

  void writeI64(int ptr, long value);

  /** Calls the module's allocator for {@code size} bytes; 0 if it refused. */
  int allocate(int size);

  /** The text of {@code len} bytes at {@code ptr}, decoded as UTF-8. */
  default String readString(int ptr, int len) {
    return new String(read(ptr, len), StandardCharsets.UTF_8);
  }

  /** The header map at {@code ptr} in the ABI's pair format; null if malformed. */
  default HeaderMap readPairs(int ptr, int len) {
    return HeaderPairs.decode(read(ptr, len));
  }

  /**
   * Copies {@code data} into memory the module allocates and stores pointer and length at {@code
   * ptrPtr}/{@code lenPtr}; empty data is (0, 0) without an allocation, as in Envoy.
   */
  default Status returnBytes(byte[] data, int ptrPtr, int lenPtr) {
    int addr = 0;
    if (data.length > 0) {
      addr = allocate(data.length);
      if (addr == 0) {
        return Status.INVALID_MEMORY_ACCESS;
      }
      write(addr, data);
    }
    writeI32(ptrPtr, addr);
    writeI32(lenPtr, data.length);
    return Status.OK;
  }

  /** Throws {@link BadPointer} unless {@code [ptr, ptr + len)} lies in {@code size} bytes. */
  static void check(int ptr, int len, long size) {
    long start = Integer.toUnsignedLong(ptr);
    if (len < 0 || start + len > size) {
      throw new BadPointer(
          "memory access [" + start + ", +" + len + ") outside " + size + " bytes");
    }
  }
}

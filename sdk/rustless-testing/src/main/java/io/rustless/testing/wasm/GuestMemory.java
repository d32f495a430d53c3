package io.rustless.testing.wasm;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.ChicoryException;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.Status;
import java.nio.charset.StandardCharsets;

/**
 * The host's view of the module's memory, with the proxy-wasm conventions: reads are bounds-checked
 * (a bad pointer is {@code INVALID_MEMORY_ACCESS}, not a host crash), and results are returned in
 * memory the module allocates through {@code proxy_on_memory_allocate}, exactly as Envoy does.
 */
final class GuestMemory {
  /** Thrown inside host functions; turned into the INVALID_MEMORY_ACCESS status. */
  static final class BadPointer extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadPointer(String message) {
      super(message);
    }
  }

  private final Instance instance;
  private final Memory memory;

  GuestMemory(Instance instance) {
    this.instance = instance;
    this.memory = instance.memory();
  }

  byte[] read(long ptr, long len) {
    check(ptr, len);
    return len == 0 ? new byte[0] : memory.readBytes((int) ptr, (int) len);
  }

  String readString(long ptr, long len) {
    return new String(read(ptr, len), StandardCharsets.UTF_8);
  }

  void writeI32(long ptr, int value) {
    check(ptr, 4);
    memory.writeI32((int) ptr, value);
  }

  void writeI64(long ptr, long value) {
    check(ptr, 8);
    memory.writeLong((int) ptr, value);
  }

  void write(long ptr, byte[] data) {
    check(ptr, data.length);
    memory.write((int) ptr, data);
  }

  /**
   * Copies {@code data} into memory the module allocates and stores pointer and length at {@code
   * ptrPtr}/{@code lenPtr}; empty data is (0, 0) without an allocation, as in Envoy.
   */
  Status returnBytes(byte[] data, long ptrPtr, long lenPtr) {
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

  /** Calls the module's allocator; 0 if it refused. */
  int allocate(int size) {
    long[] r = instance.export("proxy_on_memory_allocate").apply(size);
    int addr = (int) r[0];
    if (addr != 0) {
      try {
        check(addr, size);
      } catch (BadPointer e) {
        throw new ChicoryException(
            "proxy_on_memory_allocate(" + size + ") returned " + addr + " outside memory");
      }
    }
    return addr;
  }

  int pages() {
    return memory.pages();
  }

  private void check(long ptr, long len) {
    long size = (long) memory.pages() * Memory.PAGE_SIZE;
    if (ptr < 0 || len < 0 || ptr + len > size) {
      throw new BadPointer("memory access [" + ptr + ", +" + len + ") outside " + size + " bytes");
    }
  }

  /** Parses the ABI's header pair format; null if malformed. */
  HeaderMap readPairs(long ptr, long len) {
    byte[] raw = read(ptr, len);
    if (raw.length == 0) {
      return HeaderMap.empty();
    }
    if (raw.length < 4) {
      return null;
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int n = b.getInt();
    if (n < 0 || 4L + 8L * n > raw.length) {
      return null;
    }
    int[] lens = new int[2 * n];
    for (int i = 0; i < 2 * n; i++) {
      lens[i] = b.getInt();
    }
    HeaderMap.Builder out = HeaderMap.builder();
    int pos = 4 + 8 * n;
    for (int i = 0; i < n; i++) {
      int nl = lens[2 * i];
      int vl = lens[2 * i + 1];
      if (nl < 0 || vl < 0 || (long) pos + nl + 1 + vl + 1 > raw.length) {
        return null;
      }
      String name = new String(raw, pos, nl, StandardCharsets.UTF_8);
      pos += nl + 1;
      byte[] value = java.util.Arrays.copyOfRange(raw, pos, pos + vl);
      pos += vl + 1;
      out.add(name, value);
    }
    return out.build();
  }

  /** The ABI's header pair format for {@code map}. */
  static byte[] pairs(HeaderMap map) {
    int n = map.size();
    byte[][] names = new byte[n][];
    byte[][] values = new byte[n][];
    int total = 4 + 8 * n;
    for (int i = 0; i < n; i++) {
      names[i] = map.name(i).getBytes(StandardCharsets.UTF_8);
      values[i] = map.valueBytes(i);
      total += names[i].length + values[i].length + 2;
    }
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(total).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(n);
    for (int i = 0; i < n; i++) {
      b.putInt(names[i].length).putInt(values[i].length);
    }
    for (int i = 0; i < n; i++) {
      b.put(names[i]).put((byte) 0).put(values[i]).put((byte) 0);
    }
    return b.array();
  }
}

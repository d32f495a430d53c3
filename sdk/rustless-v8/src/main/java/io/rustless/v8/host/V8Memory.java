package io.rustless.v8.host;

import io.rustless.host.abi.GuestMemory;
import io.rustless.v8.FunctionType;
import io.rustless.v8.V8Instance;
import io.rustless.v8.WasmException;
import java.nio.ByteBuffer;

/**
 * A V8 instance's memory as the host functions see it: V8's own bytes through a direct buffer (no
 * copy into or out of the engine), bounds-checked, with the module's allocator export.
 */
final class V8Memory implements GuestMemory {
  private static final FunctionType ALLOCATE = FunctionType.i32(1);

  private final V8Instance instance;
  private V8Instance.Export allocator;

  V8Memory(V8Instance instance) {
    this.instance = instance;
  }

  /** The memory as it is now (a grown memory is a new buffer). */
  private ByteBuffer buffer() {
    ByteBuffer b = instance.memory();
    if (b == null) {
      throw new BadPointer("the module exports no memory");
    }
    return b;
  }

  @Override
  public byte[] read(int ptr, int len) {
    ByteBuffer b = buffer();
    GuestMemory.check(ptr, len, b.capacity());
    byte[] out = new byte[len];
    b.get(ptr, out);
    return out;
  }

  @Override
  public void write(int ptr, byte[] data) {
    ByteBuffer b = buffer();
    GuestMemory.check(ptr, data.length, b.capacity());
    b.put(ptr, data);
  }

  @Override
  public void writeI32(int ptr, int value) {
    ByteBuffer b = buffer();
    GuestMemory.check(ptr, 4, b.capacity());
    b.putInt(ptr, value);
  }

  @Override
  public void writeI64(int ptr, long value) {
    ByteBuffer b = buffer();
    GuestMemory.check(ptr, 8, b.capacity());
    b.putLong(ptr, value);
  }

  @Override
  public int allocate(int size) {
    if (allocator == null) {
      allocator =
          instance
              .export("proxy_on_memory_allocate", ALLOCATE)
              .orElseThrow(
                  () ->
                      new WasmException(
                          WasmException.Kind.TRAP,
                          "the module exports no proxy_on_memory_allocate"));
    }
    int addr = (int) allocator.callI32(size);
    if (addr != 0) {
      try {
        GuestMemory.check(addr, size, buffer().capacity());
      } catch (BadPointer e) {
        throw new WasmException(
            WasmException.Kind.TRAP,
            "proxy_on_memory_allocate(" + size + ") returned " + addr + " outside memory");
      }
    }
    return addr;
  }
}

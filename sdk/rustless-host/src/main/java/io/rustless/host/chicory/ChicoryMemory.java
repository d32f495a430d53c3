package io.rustless.host.chicory;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.ChicoryException;
import io.rustless.host.abi.GuestMemory;

/** A Chicory instance's memory, bounds-checked, with its allocator export. */
final class ChicoryMemory implements GuestMemory {
  private final Instance instance;
  private final Memory memory;
  private ExportFunction allocator;

  ChicoryMemory(Instance instance) {
    this.instance = instance;
    this.memory = instance.memory();
  }

  private long size() {
    return (long) memory.pages() * Memory.PAGE_SIZE;
  }

  @Override
  public byte[] read(int ptr, int len) {
    GuestMemory.check(ptr, len, size());
    return len == 0 ? new byte[0] : memory.readBytes(ptr, len);
  }

  @Override
  public void write(int ptr, byte[] data) {
    GuestMemory.check(ptr, data.length, size());
    memory.write(ptr, data);
  }

  @Override
  public void writeI32(int ptr, int value) {
    GuestMemory.check(ptr, 4, size());
    memory.writeI32(ptr, value);
  }

  @Override
  public void writeI64(int ptr, long value) {
    GuestMemory.check(ptr, 8, size());
    memory.writeLong(ptr, value);
  }

  @Override
  public int allocate(int size) {
    if (allocator == null) {
      allocator = instance.export("proxy_on_memory_allocate");
    }
    int addr = (int) allocator.apply(size)[0];
    if (addr != 0) {
      try {
        GuestMemory.check(addr, size, size());
      } catch (BadPointer e) {
        throw new ChicoryException(
            "proxy_on_memory_allocate(" + size + ") returned " + addr + " outside memory");
      }
    }
    return addr;
  }
}

package io.rustless.host.chicory;

import com.dylibso.chicory.runtime.ConstantEvaluators;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A module's linear memory as one {@code byte[]}, read and written through little-endian
 * VarHandles: one bounds check per access. TeaVM's code is mostly loads and stores (its shadow
 * stack: a frame per call, a call-site id stored and read back around every call; object headers;
 * the GC), so the cost of an access is the cost of the module. Chicory's {@code ByteArrayMemory}
 * splits memory into 64 KiB pages, which costs a mask, a page-crossing test and an array load on
 * top of each access (measured here: say-hello's request path, see the benchmarks module).
 *
 * <p>Growing copies into a larger array, which is rare: TeaVM's heap has a fixed size and only the
 * SDK's arena for host buffers grows memory. Memory shared between threads is not supported here
 * (the host uses Chicory's own for a module that declares it).
 */
// lock/waitOn/notify are deprecated in Chicory's Memory but still abstract: they must be here
@SuppressWarnings("removal")
final class FlatMemory implements Memory {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  private final MemoryLimits limits;
  private final int maximumPages;
  private DataSegment[] dataSegments = new DataSegment[0];
  private byte[] bytes;

  FlatMemory(MemoryLimits limits) {
    if (limits.shared()) {
      throw new IllegalArgumentException("shared memory is not supported by FlatMemory");
    }
    this.limits = limits;
    this.maximumPages = Math.min(limits.maximumPages(), RUNTIME_MAX_PAGES);
    if (limits.initialPages() > maximumPages) {
      throw new UninstantiableException(
          "memory of " + limits.initialPages() + " pages is over this runtime's limit");
    }
    this.bytes = new byte[Memory.bytes(limits.initialPages())];
  }

  /** The memory a module gets: this one unless it is shared between threads. */
  static Memory create(MemoryLimits limits) {
    return limits.shared()
        ? new com.dylibso.chicory.runtime.ByteArrayMemory(limits)
        : new FlatMemory(limits);
  }

  private static WasmRuntimeException outOfBounds(int addr, int size) {
    return new WasmRuntimeException(
        "out of bounds memory access: attempted to access address: "
            + Integer.toUnsignedString(addr)
            + " size: "
            + size);
  }

  /** Checks {@code [addr, addr + size)} for a bulk operation (addresses are unsigned). */
  private void check(int addr, int size) {
    if (size < 0 || addr < 0 || (long) addr + size > bytes.length) {
      throw outOfBounds(addr, size);
    }
  }

  @Override
  public int pages() {
    return bytes.length / PAGE_SIZE;
  }

  @Override
  public int grow(int delta) {
    int old = pages();
    if (delta < 0 || (long) old + delta > maximumPages) {
      return -1;
    }
    if (delta > 0) {
      bytes = Arrays.copyOf(bytes, Memory.bytes(old + delta));
    }
    return old;
  }

  @Override
  public int initialPages() {
    return limits.initialPages();
  }

  @Override
  public int maximumPages() {
    return maximumPages;
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public Object lock(int address) {
    return this;
  }

  @Override
  public int waitOn(int address, int expected, long timeout) {
    throw new WasmRuntimeException("expected shared memory");
  }

  @Override
  public int waitOn(int address, long expected, long timeout) {
    throw new WasmRuntimeException("expected shared memory");
  }

  @Override
  public int notify(int address, int maxThreads) {
    return 0; // nobody can wait on unshared memory
  }

  @Override
  public void initialize(Instance instance, DataSegment[] segments) {
    // a copy: data.drop empties a segment for this instance only
    this.dataSegments = segments == null ? new DataSegment[0] : segments.clone();
    for (DataSegment s : dataSegments) {
      if (s instanceof ActiveDataSegment active && active.index() == 0) {
        int offset =
            (int) ConstantEvaluators.computeConstantValue(instance, active.offsetInstructions())[0];
        byte[] data = active.data();
        if (offset < 0 || (long) offset + data.length > bytes.length) {
          throw new UninstantiableException("out of bounds memory access");
        }
        System.arraycopy(data, 0, bytes, offset, data.length);
      }
    }
  }

  @Override
  public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
    byte[] data = dataSegments[segmentId].data();
    if (offset < 0 || size < 0 || (long) offset + size > data.length) {
      throw outOfBounds(dest, size);
    }
    write(dest, data, offset, size);
  }

  @Override
  public void write(int addr, byte[] data, int offset, int size) {
    check(addr, size);
    System.arraycopy(data, offset, bytes, addr, size);
  }

  @Override
  public byte read(int addr) {
    try {
      return bytes[addr];
    } catch (ArrayIndexOutOfBoundsException e) {
      throw outOfBounds(addr, 1);
    }
  }

  @Override
  public byte[] readBytes(int addr, int len) {
    check(addr, len);
    return Arrays.copyOfRange(bytes, addr, addr + len);
  }

  @Override
  public void writeI32(int addr, int data) {
    try {
      INT.set(bytes, addr, data);
    } catch (IndexOutOfBoundsException e) {
      throw outOfBounds(addr, 4);
    }
  }

  @Override
  public int readInt(int addr) {
    try {
      return (int) INT.get(bytes, addr);
    } catch (IndexOutOfBoundsException e) {
      throw outOfBounds(addr, 4);
    }
  }

  @Override
  public void writeLong(int addr, long data) {
    try {
      LONG.set(bytes, addr, data);
    } catch (IndexOutOfBoundsException e) {
      throw outOfBounds(addr, 8);
    }
  }

  @Override
  public long readLong(int addr) {
    try {
      return (long) LONG.get(bytes, addr);
    } catch (IndexOutOfBoundsException e) {
      throw outOfBounds(addr, 8);
    }
  }

  @Override
  public void writeShort(int addr, short data) {
    try {
      SHORT.set(bytes, addr, data);
    } catch (IndexOutOfBoundsException e) {
      throw outOfBounds(addr, 2);
    }
  }

  @Override
  public short readShort(int addr) {
    try {
      return (short) SHORT.get(bytes, addr);
    } catch (IndexOutOfBoundsException e) {
      throw outOfBounds(addr, 2);
    }
  }

  @Override
  public long readU16(int addr) {
    return readShort(addr) & 0xFFFFL;
  }

  @Override
  public void writeByte(int addr, byte data) {
    try {
      bytes[addr] = data;
    } catch (ArrayIndexOutOfBoundsException e) {
      throw outOfBounds(addr, 1);
    }
  }

  @Override
  public void writeF32(int addr, float data) {
    try {
      FLOAT.set(bytes, addr, data);
    } catch (IndexOutOfBoundsException e) {
      throw outOfBounds(addr, 4);
    }
  }

  @Override
  public long readF32(int addr) {
    return readInt(addr);
  }

  @Override
  public float readFloat(int addr) {
    try {
      return (float) FLOAT.get(bytes, addr);
    } catch (IndexOutOfBoundsException e) {
      throw outOfBounds(addr, 4);
    }
  }

  @Override
  public void writeF64(int addr, double data) {
    try {
      DOUBLE.set(bytes, addr, data);
    } catch (IndexOutOfBoundsException e) {
      throw outOfBounds(addr, 8);
    }
  }

  @Override
  public double readDouble(int addr) {
    try {
      return (double) DOUBLE.get(bytes, addr);
    } catch (IndexOutOfBoundsException e) {
      throw outOfBounds(addr, 8);
    }
  }

  @Override
  public long readF64(int addr) {
    return readLong(addr);
  }

  @Override
  public void zero() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public void fill(byte value, int fromIndex, int toIndex) {
    check(fromIndex, toIndex - fromIndex);
    Arrays.fill(bytes, fromIndex, toIndex, value);
  }

  @Override
  public void copy(int dest, int src, int size) {
    check(dest, size);
    check(src, size);
    System.arraycopy(bytes, src, bytes, dest, size); // overlapping ranges are handled by arraycopy
  }

  @Override
  public void drop(int segment) {
    dataSegments[segment] = PassiveDataSegment.EMPTY;
  }
}

package io.rustless.sdk.internal.abi;

import org.teavm.backend.wasm.WasmHeap;
import org.teavm.interop.Unmanaged;

/**
 * The memory behind {@code proxy_on_memory_allocate}: a bump allocator in linear memory above
 * TeaVM's fixed-size GC heap.
 *
 * <p>Why not a Java array: TeaVM's GC compacts, so an object the host is writing into could move.
 * Why above the heap: the heap has a fixed size (the build sets min = max), so TeaVM never grows
 * memory after start-up and the region past {@code WasmHeap.memoryLimit} is ours. Host calls
 * release what they allocated ({@link #mark}/{@link #release}); the exports reset the arena when a
 * callback starts. Nothing here allocates on the Java heap, so the host re-entering the module
 * mid-call can never trigger a GC.
 */
@Unmanaged
final class Arena {
  private static final int PAGE = 65536;

  /** Beyond this the module refuses to grow: a host asking for more gets 0 (allocation failure). */
  private static final int MAX_BYTES = 1 << 30;

  private static int base;
  private static int top;
  private static int limit;

  private Arena() {}

  /** A block of {@code size} bytes, 8-aligned, or 0 if the arena cannot grow that far. */
  static int allocate(int size) {
    if (base == 0) {
      base = WasmHeap.memoryLimit.toInt();
      top = base;
      limit = base;
    }
    if (size < 0) {
      return 0;
    }
    int start = (top + 7) & ~7;
    long end = (long) start + (size == 0 ? 1 : size);
    if (end > limit) {
      if (end - base > MAX_BYTES) {
        return 0;
      }
      int pages = (int) ((end - limit + PAGE - 1) / PAGE);
      WasmHeap.growMemory(pages);
      limit += pages * PAGE;
    }
    top = (int) end;
    return start;
  }

  /** The current top, to be handed back to {@link #release}. */
  static int mark() {
    return top;
  }

  /** Frees everything allocated since {@code mark}. */
  static void release(int mark) {
    top = mark;
  }

  /** Frees everything. */
  static void reset() {
    top = base;
  }

  /** Bytes of linear memory the arena holds (it never shrinks: Wasm memory cannot). */
  static int committedBytes() {
    return limit - base;
  }
}

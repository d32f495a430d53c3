package io.rustless.sdk.internal;

import io.rustless.sdk.host.HeapLimitException;

/**
 * The one check before allocating in proportion to untrusted input. In a module the Java heap is
 * fixed and running out of it traps (TeaVM ends in {@code unreachable}); an exception can be
 * caught.
 */
public final class HeapRoom {
  private HeapRoom() {}

  /**
   * Returns if {@code need} bytes can be allocated, collecting garbage first if they cannot yet;
   * otherwise throws {@link HeapLimitException} naming {@code what} of {@code requested} bytes.
   */
  public static void ensure(String what, long requested, long need) {
    if (CurrentHost.get().freeHeapBytes() >= need) {
      return;
    }
    System.gc();
    long free = CurrentHost.get().freeHeapBytes();
    if (free < need) {
      throw new HeapLimitException(what, requested, free, Runtime.getRuntime().totalMemory());
    }
  }
}

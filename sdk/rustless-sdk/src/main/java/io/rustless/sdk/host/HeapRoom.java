package io.rustless.sdk.host;

/**
 * The one check before allocating in proportion to untrusted input. In a module the Java heap is
 * fixed and running out of it traps (TeaVM ends in {@code unreachable}); an exception can be
 * caught. Plugins call {@code ProxyWasm.ensureHeapRoom}.
 */
public final class HeapRoom {
  private HeapRoom() {}

  /**
   * Returns if {@code need} bytes can be allocated in {@code host}'s heap, collecting garbage first
   * if they cannot yet; otherwise throws {@link HeapLimitException} naming {@code what} of {@code
   * requested} bytes.
   */
  public static void ensure(Host host, String what, long requested, long need) {
    if (host.freeHeapBytes() >= need) {
      return;
    }
    System.gc();
    long free = host.freeHeapBytes();
    if (free < need) {
      throw new HeapLimitException(what, requested, free, Runtime.getRuntime().totalMemory());
    }
  }
}

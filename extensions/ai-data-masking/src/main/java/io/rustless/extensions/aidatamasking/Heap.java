package io.rustless.extensions.aidatamasking;

import io.rustless.sdk.api.ProxyWasm;

/**
 * Room in the plugin's fixed Java heap. Under TeaVM running out of heap is a trap that takes the VM
 * down, so work on a body is sized first and refused (with {@link TooLarge}) when it cannot fit.
 */
final class Heap {
  /**
   * Heap needed per byte of text that is checked and masked or restored, at its peak: the text
   * decoded (2 bytes a char) and copied to chars, a rule's output buffer as it grows, its result,
   * the new string, and its UTF-8 again (measured in the robustness tests' sizes).
   */
  static final long PER_TEXT_BYTE = 14;

  /** Heap needed per byte of body to write the rewritten body next to the original. */
  static final long PER_OUTPUT_BYTE = 3;

  private Heap() {}

  /** Thrown when a body is too large to inspect in the heap that is left. */
  static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge(long need, long free) {
      super("inspecting this body needs about " + need + " bytes of heap, " + free + " are free");
    }
  }

  /** Makes sure about {@code bytes} can still be allocated, collecting garbage first if needed. */
  static void require(long bytes) {
    long need = bytes + (1 << 20);
    if (ProxyWasm.freeHeapBytes() >= need) {
      return;
    }
    System.gc();
    long free = ProxyWasm.freeHeapBytes();
    if (free < need) {
      throw new TooLarge(need, free);
    }
  }
}

package io.rustless.extensions.aidatamasking;

import io.rustless.sdk.api.ProxyWasm;

/**
 * Room in the plugin's fixed Java heap. Under TeaVM running out of heap is a trap that takes the VM
 * down, so work on a body is sized first and refused (with a {@code HeapLimitException}) when it
 * cannot fit.
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

  /**
   * Makes sure about {@code bytes} (plus 1 MiB of slack) can still be allocated, collecting garbage
   * first if needed.
   *
   * @throws io.rustless.sdk.host.HeapLimitException if they cannot
   */
  static void require(long bytes) {
    ProxyWasm.ensureHeapRoom(bytes + (1 << 20));
  }
}

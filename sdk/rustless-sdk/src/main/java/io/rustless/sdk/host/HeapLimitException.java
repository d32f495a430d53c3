package io.rustless.sdk.host;

import io.rustless.sdk.RustlessException;

/**
 * A host buffer, or work a plugin sized up front, is too large for the plugin's fixed Java heap.
 * Thrown instead of running out of memory, which in a Wasm module is a trap that takes the VM down.
 * Raise the extension's {@code rustless.heapSize}, read the buffer in smaller pieces, or cap the
 * body size.
 */
public final class HeapLimitException extends RustlessException {
  private static final long serialVersionUID = 1L;

  public HeapLimitException(long requested, long free, long heap) {
    this("a host buffer", requested, free, heap);
  }

  /** {@code what} (e.g. "a host buffer") of {@code requested} bytes does not fit. */
  public HeapLimitException(String what, long requested, long free, long heap) {
    super(
        what
            + " of "
            + requested
            + " bytes does not fit in the plugin's heap ("
            + heap
            + " bytes, "
            + free
            + " free after a full GC): raise rustless.heapSize or read less at a time");
  }
}

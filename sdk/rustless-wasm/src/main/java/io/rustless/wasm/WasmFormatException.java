package io.rustless.wasm;

/** The bytes are not a WebAssembly module this code can read. */
public final class WasmFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WasmFormatException(String message) {
    super(message);
  }
}

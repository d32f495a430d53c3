package io.rustless.v8;

/** A Wasm number type, as values cross between Java and the module. */
public enum ValType {
  I32('i'),
  I64('I'),
  F32('f'),
  F64('F');

  private final char code;

  ValType(char code) {
    this.code = code;
  }

  /** One letter, as in the engine's signature strings. */
  char code() {
    return code;
  }
}

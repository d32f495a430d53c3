package io.rustless.build;

/** How a module's Java exceptions are compiled. */
public enum ExceptionMode {
  /**
   * TeaVM's own scheme: a call-site id stored before and checked after every call that may throw.
   * Plain Wasm (with bulk memory and saturating conversions): every proxy-wasm runtime loads it.
   */
  PORTABLE("portable"),
  /**
   * Wasm exception handling ({@code try}/{@code catch}/{@code throw}, the encoding V8 has run by
   * default since 2021): no checks after calls, ~13 % smaller and faster. Loads in V8 (Envoy's,
   * Istio's and Higress's default runtime), not in Envoy builds on wasmtime or WAMR.
   */
  WASM("wasm");

  private final String id;

  ExceptionMode(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The mode named {@code s}: {@code portable} or {@code wasm}. */
  public static ExceptionMode parse(String s) {
    for (ExceptionMode m : values()) {
      if (m.id.equals(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown exception mode '" + s + "' (use portable for any runtime, wasm for V8)");
  }
}

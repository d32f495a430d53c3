package io.rustless.testing;

/** Where a plugin test runs. */
public enum Mode {
  /** The plugin's Java code against the emulated host: fast, debuggable, stack traces. */
  JVM,
  /** The built {@code plugin.wasm} in Rustless's proxy-wasm host on Chicory: what ships. */
  WASM;

  /** Lower-case name, as used in display names and {@code -Drustless.test.modes}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

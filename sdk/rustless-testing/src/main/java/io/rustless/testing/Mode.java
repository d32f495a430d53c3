package io.rustless.testing;

/** Where a plugin test runs. */
public enum Mode {
  /** The plugin's Java code against the emulated host: fast, debuggable, stack traces. */
  JVM,
  /**
   * The built {@code plugin.wasm} in Rustless's proxy-wasm host on Chicory: what {@code rustless
   * run}/{@code serve} run.
   */
  WASM,
  /**
   * The same {@code plugin.wasm} in the same host on V8, the engine Envoy and Higress run plugins
   * in: the module's exact bytes (Wasm exception handling native, not translated).
   */
  V8;

  /** Lower-case name, as used in display names and {@code -Drustless.test.modes}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The modes {@code -Drustless.test.modes} enables: a comma-separated subset of {@code jvm},
   * {@code wasm}, {@code v8}; all three by default.
   *
   * @throws IllegalArgumentException naming an unknown mode
   */
  public static java.util.List<Mode> enabled() {
    String property = System.getProperty("rustless.test.modes", "jvm,wasm,v8");
    java.util.List<Mode> out = new java.util.ArrayList<>();
    for (String s : property.split(",")) {
      String m = s.trim().toUpperCase(java.util.Locale.ROOT);
      if (m.isEmpty()) {
        continue;
      }
      try {
        out.add(Mode.valueOf(m));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "-Drustless.test.modes="
                + property
                + ": unknown mode '"
                + s.trim()
                + "' (the modes are jvm, wasm, v8)",
            e);
      }
    }
    return out;
  }

  /** True where the built module runs (its heap, memory and limits apply): wasm and v8. */
  public boolean runsModule() {
    return this != JVM;
  }
}

package io.rustless.v8;

/**
 * V8 cannot start in this JVM: Javet's native library did not load (an unsupported platform, a C
 * library too old for it, a missing native jar) or the isolate could not be created. The message
 * says which, on what platform.
 */
public final class V8UnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  V8UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  static V8UnavailableException of(String what, Throwable cause) {
    String detail = cause == null ? "no reason given" : String.valueOf(cause.getMessage());
    Throwable root = cause;
    while (root != null && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != null && root != cause) {
      // Javet's own message is often "not loaded because <null>"; the root names the file
      detail += " (" + root + ")";
    }
    return new V8UnavailableException(
        "V8 (Javet) is unavailable on "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.arch")
            + ": "
            + what
            + ": "
            + detail
            + ". The engine needs Javet's native library for the platform (this build ships"
            + " javet-v8-linux-x86_64: Linux on x86_64 with glibc).",
        cause);
  }
}

package io.rustless.v8;

/**
 * What V8 reported: a module that does not compile or link, or a trap while it ran (the text is
 * V8's, e.g. {@code RuntimeError: unreachable}).
 */
public class WasmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The bytes are not a valid module (V8's {@code CompileError}). */
    COMPILE,
    /** Imports missing or of the wrong kind ({@code LinkError}). */
    LINK,
    /** The module trapped: unreachable, out-of-bounds access, stack overflow, … */
    TRAP
  }

  private final Kind kind;

  public WasmException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

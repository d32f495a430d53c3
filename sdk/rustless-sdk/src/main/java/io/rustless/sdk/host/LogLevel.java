package io.rustless.sdk.host;

/** Log levels with their proxy-wasm ABI codes. */
public enum LogLevel {
  TRACE(0),
  DEBUG(1),
  INFO(2),
  WARN(3),
  ERROR(4),
  CRITICAL(5);

  private final int code;

  LogLevel(int code) {
    this.code = code;
  }

  /** The ABI code of this level. */
  public int code() {
    return code;
  }

  /** The level for an ABI code; codes above CRITICAL map to CRITICAL, below TRACE to TRACE. */
  public static LogLevel fromCode(int code) {
    switch (code) {
      case 0:
        return TRACE;
      case 1:
        return DEBUG;
      case 2:
        return INFO;
      case 3:
        return WARN;
      case 4:
        return ERROR;
      default:
        return code < 0 ? TRACE : CRITICAL;
    }
  }
}

package io.rustless.sdk.host;

/** Results of host calls, with their proxy-wasm ABI codes. */
public enum Status {
  OK(0),
  NOT_FOUND(1),
  BAD_ARGUMENT(2),
  SERIALIZATION_FAILURE(3),
  PARSE_FAILURE(4),
  BAD_EXPRESSION(5),
  INVALID_MEMORY_ACCESS(6),
  EMPTY(7),
  CAS_MISMATCH(8),
  RESULT_MISMATCH(9),
  INTERNAL_FAILURE(10),
  BROKEN_CONNECTION(11),
  UNIMPLEMENTED(12),
  /** A code this SDK does not know; kept so that a newer host never breaks the plugin. */
  UNKNOWN(-1);

  private final int code;

  Status(int code) {
    this.code = code;
  }

  /** The ABI code of this status. */
  public int code() {
    return code;
  }

  /** The status for an ABI code; unknown codes map to {@link #UNKNOWN}. */
  public static Status fromCode(int code) {
    Status[] all = values();
    if (code >= 0 && code < all.length - 1) {
      return all[code];
    }
    return UNKNOWN;
  }
}

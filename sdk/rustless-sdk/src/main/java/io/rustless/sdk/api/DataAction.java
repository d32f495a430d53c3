package io.rustless.sdk.api;

/** What a body callback tells the host; codes are Envoy's filter data statuses. */
public enum DataAction {
  /** Pass this chunk on. */
  CONTINUE(0),
  /** Keep this chunk in the host's buffer; the next callback sees the whole body so far. */
  STOP_ITERATION_AND_BUFFER(1),
  /** Like {@link #STOP_ITERATION_AND_BUFFER}, with flow control instead of a buffer limit. */
  STOP_ITERATION_AND_WATERMARK(2),
  /** Hold this chunk without buffering further data. */
  STOP_ITERATION_NO_BUFFER(3);

  private final int code;

  DataAction(int code) {
    this.code = code;
  }

  /** The ABI code. */
  public int code() {
    return code;
  }
}

package io.rustless.sdk.api;

/**
 * What a header callback tells the host; codes are Envoy's filter header statuses, which Higress's
 * ABI (0.2.100) passes through unchanged.
 */
public enum HeaderAction {
  /** Pass the headers on. */
  CONTINUE(0),
  /**
   * Hold the headers but keep delivering body chunks to this plugin (under ABI 0.2.1 a host turns
   * this into {@link #STOP_ALL_ITERATION_AND_WATERMARK}).
   */
  STOP_ITERATION(1),
  /** Pass the headers on and end the stream (the body is dropped). */
  CONTINUE_AND_END_STREAM(2),
  /** Hold headers and body, buffering the body, until the plugin resumes the stream. */
  STOP_ALL_ITERATION_AND_BUFFER(3),
  /** Like {@link #STOP_ALL_ITERATION_AND_BUFFER}, with flow control instead of a buffer limit. */
  STOP_ALL_ITERATION_AND_WATERMARK(4);

  private final int code;

  HeaderAction(int code) {
    this.code = code;
  }

  /** The ABI code. */
  public int code() {
    return code;
  }

  /** True for every action that holds the stream until the plugin resumes it. */
  public boolean pauses() {
    return this != CONTINUE && this != CONTINUE_AND_END_STREAM;
  }
}

package io.rustless.sdk.api;

/** What a trailer callback tells the host. */
public enum TrailerAction {
  CONTINUE(0),
  PAUSE(1);

  private final int code;

  TrailerAction(int code) {
    this.code = code;
  }

  /** The ABI code. */
  public int code() {
    return code;
  }
}

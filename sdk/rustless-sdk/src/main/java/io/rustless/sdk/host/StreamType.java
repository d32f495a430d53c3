package io.rustless.sdk.host;

/** Streams that can be continued or closed, with their proxy-wasm ABI codes. */
public enum StreamType {
  HTTP_REQUEST(0),
  HTTP_RESPONSE(1),
  DOWNSTREAM(2),
  UPSTREAM(3);

  private final int code;

  StreamType(int code) {
    this.code = code;
  }

  /** The ABI code of this stream. */
  public int code() {
    return code;
  }
}

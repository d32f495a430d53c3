package io.rustless.sdk.host;

/** Header maps the host can read and write, with their proxy-wasm ABI codes. */
public enum MapType {
  HTTP_REQUEST_HEADERS(0),
  HTTP_REQUEST_TRAILERS(1),
  HTTP_RESPONSE_HEADERS(2),
  HTTP_RESPONSE_TRAILERS(3),
  GRPC_RECEIVE_INITIAL_METADATA(4),
  GRPC_RECEIVE_TRAILING_METADATA(5),
  HTTP_CALL_RESPONSE_HEADERS(6),
  HTTP_CALL_RESPONSE_TRAILERS(7);

  private final int code;

  MapType(int code) {
    this.code = code;
  }

  /** The ABI code of this map. */
  public int code() {
    return code;
  }
}

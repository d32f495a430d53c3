package io.rustless.sdk.host;

/** Buffers the host can read and write, with their proxy-wasm ABI codes. */
public enum BufferType {
  HTTP_REQUEST_BODY(0),
  HTTP_RESPONSE_BODY(1),
  DOWNSTREAM_DATA(2),
  UPSTREAM_DATA(3),
  HTTP_CALL_RESPONSE_BODY(4),
  GRPC_RECEIVE_BUFFER(5),
  VM_CONFIGURATION(6),
  PLUGIN_CONFIGURATION(7),
  CALL_DATA(8),
  /** Higress extension: the RESP reply of a {@code proxy_redis_call}. */
  REDIS_CALL_RESPONSE(9);

  private final int code;

  BufferType(int code) {
    this.code = code;
  }

  /** The ABI code of this buffer. */
  public int code() {
    return code;
  }
}

package io.rustless.host.engine;

/** The proxy-wasm callbacks a plugin exports, with their ABI names. */
public enum Export {
  CONTEXT_CREATE("proxy_on_context_create"),
  VM_START("proxy_on_vm_start"),
  CONFIGURE("proxy_on_configure"),
  TICK("proxy_on_tick"),
  QUEUE_READY("proxy_on_queue_ready"),
  FOREIGN_FUNCTION("proxy_on_foreign_function"),
  REQUEST_HEADERS("proxy_on_request_headers"),
  REQUEST_BODY("proxy_on_request_body"),
  REQUEST_TRAILERS("proxy_on_request_trailers"),
  RESPONSE_HEADERS("proxy_on_response_headers"),
  RESPONSE_BODY("proxy_on_response_body"),
  RESPONSE_TRAILERS("proxy_on_response_trailers"),
  HTTP_CALL_RESPONSE("proxy_on_http_call_response"),
  GRPC_RECEIVE_INITIAL_METADATA("proxy_on_grpc_receive_initial_metadata"),
  GRPC_RECEIVE("proxy_on_grpc_receive"),
  GRPC_RECEIVE_TRAILING_METADATA("proxy_on_grpc_receive_trailing_metadata"),
  GRPC_CLOSE("proxy_on_grpc_close"),
  REDIS_CALL_RESPONSE("proxy_on_redis_call_response"),
  /** Optional: a module without it is done at once (1). */
  DONE("proxy_on_done"),
  LOG("proxy_on_log"),
  DELETE("proxy_on_delete");

  private final String abiName;

  Export(String abiName) {
    this.abiName = abiName;
  }

  /** The export's name in the module, e.g. {@code proxy_on_request_headers}. */
  public String abiName() {
    return abiName;
  }

  /** What a module that does not export it answers: 1 for done, 0 otherwise. */
  public int absentResult() {
    return this == DONE ? 1 : 0;
  }
}

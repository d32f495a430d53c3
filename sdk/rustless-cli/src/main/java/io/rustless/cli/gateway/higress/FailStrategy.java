package io.rustless.cli.gateway.higress;

/**
 * {@code spec.failStrategy}: what a request meets when the plugin cannot run (its module could not
 * be fetched or loaded, or its VM failed). FAIL_CLOSE (the default) answers 503 as Envoy's {@code
 * wasm_fail_stream}; FAIL_OPEN passes the request on as if the plugin were not there.
 */
public enum FailStrategy {
  FAIL_CLOSE,
  FAIL_OPEN
}

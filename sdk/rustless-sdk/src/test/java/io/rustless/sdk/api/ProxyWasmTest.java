package io.rustless.sdk.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A plugin's code run outside any VM fails at once with a message that says so. */
class ProxyWasmTest {

  @Test
  void registeringOutsideAVmSaysWhereItMustRun() {
    assertThatThrownBy(() -> ProxyWasm.setRootContext(id -> new RootContext() {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no proxy-wasm VM");
  }

  @Test
  void aHostCallOutsideAVmSaysWhereItMustRun() {
    HttpContext context = new HttpContext() {};
    assertThatThrownBy(() -> context.getHttpRequestHeader(":path"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no proxy-wasm host");
  }
}

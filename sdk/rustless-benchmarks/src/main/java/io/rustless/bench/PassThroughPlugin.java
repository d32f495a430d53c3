package io.rustless.bench;

import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.api.ProxyWasm;
import io.rustless.sdk.api.RootContext;

/** Does nothing per request: the cost of the call path itself, the baseline for ratios. */
public final class PassThroughPlugin {
  private PassThroughPlugin() {}

  public static void main(String[] args) {
    ProxyWasm.setRootContext(
        id ->
            new RootContext() {
              @Override
              public HttpContext createHttpContext(int contextId) {
                return new HttpContext() {};
              }
            });
  }
}

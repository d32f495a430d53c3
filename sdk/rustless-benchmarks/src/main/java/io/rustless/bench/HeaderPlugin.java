package io.rustless.bench;

import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.api.ProxyWasm;
import io.rustless.sdk.api.RootContext;

/** Adds one request header: the smallest plugin that does real work per request. */
public final class HeaderPlugin {
  private HeaderPlugin() {}

  public static void main(String[] args) {
    ProxyWasm.setRootContext(
        id ->
            new RootContext() {
              @Override
              public HttpContext createHttpContext(int contextId) {
                return new HttpContext() {
                  @Override
                  public HeaderAction onRequestHeaders(int numHeaders, boolean endOfStream) {
                    addHttpRequestHeader("x-hello", "rustless");
                    return HeaderAction.CONTINUE;
                  }
                };
              }
            });
  }
}

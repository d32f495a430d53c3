package io.rustless.bench;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.api.ProxyWasm;
import io.rustless.sdk.api.RootContext;

/** Reads the whole request body and sums its bytes (so the copy cannot be skipped). */
public final class BodyPlugin {
  static int sink;

  private BodyPlugin() {}

  public static void main(String[] args) {
    ProxyWasm.setRootContext(
        id ->
            new RootContext() {
              @Override
              public HttpContext createHttpContext(int contextId) {
                return new HttpContext() {
                  @Override
                  public DataAction onRequestBody(int bodySize, boolean endOfStream) {
                    byte[] body = getHttpRequestBody(0, bodySize).orElse(new byte[0]);
                    int sum = 0;
                    for (byte b : body) {
                      sum += b;
                    }
                    sink += sum;
                    return DataAction.CONTINUE;
                  }
                };
              }
            });
  }
}

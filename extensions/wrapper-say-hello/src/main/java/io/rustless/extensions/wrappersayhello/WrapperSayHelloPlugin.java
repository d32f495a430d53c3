package io.rustless.extensions.wrappersayhello;

import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.higress.wrapper.HigressPlugin;
import io.rustless.sdk.host.HeaderMap;

/**
 * say-hello written with the Higress wrapper: the request-headers handler answers {@code Hello,
 * <name>!} (or {@code Hello, World!} when the name is empty), and the response-headers handler
 * raises the response body buffer limit, as the anchor does.
 */
public final class WrapperSayHelloPlugin {
  /** The anchor's response buffer limit (set_encoder_buffer_limit). */
  static final long RESPONSE_BUFFER_LIMIT = 381_881;

  private static final HeaderMap HEADERS =
      HeaderMap.of("content-type", "text/plain; charset=utf-8");

  private WrapperSayHelloPlugin() {}

  public static void main(String[] args) {
    HigressPlugin.builder("wrapper-say-hello", WrapperSayHelloConfig::parse)
        .onRequestHeaders(
            (ctx, config, headers) -> {
              String name = config.name().isEmpty() ? "World" : config.name();
              ctx.sendHttpResponse(200, HEADERS, "Hello, " + name + "!");
              return HeaderAction.STOP_ITERATION;
            })
        .onResponseHeaders(
            (ctx, config, headers) -> {
              ctx.setResponseBodyBufferLimit(RESPONSE_BUFFER_LIMIT);
              return HeaderAction.CONTINUE;
            })
        .register();
  }
}

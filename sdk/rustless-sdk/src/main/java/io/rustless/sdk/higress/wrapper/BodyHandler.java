package io.rustless.sdk.higress.wrapper;

import io.rustless.sdk.api.DataAction;

/** Handles a complete (buffered) request or response body with the matched configuration. */
@FunctionalInterface
public interface BodyHandler<C> {
  DataAction handle(RequestContext<C> ctx, C config, byte[] body);
}

package io.rustless.sdk.higress.wrapper;

import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.host.HeaderMap;

/** Handles a request's or response's complete headers with the matched configuration. */
@FunctionalInterface
public interface HeadersHandler<C> {
  HeaderAction handle(RequestContext<C> ctx, C config, HeaderMap headers);
}

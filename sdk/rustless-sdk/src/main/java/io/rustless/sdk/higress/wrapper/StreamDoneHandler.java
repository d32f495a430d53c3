package io.rustless.sdk.higress.wrapper;

/** Runs when the stream is complete (access logs, metrics). */
@FunctionalInterface
public interface StreamDoneHandler<C> {
  void handle(RequestContext<C> ctx, C config);
}

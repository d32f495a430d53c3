package io.rustless.sdk.higress.wrapper;

/**
 * Handles a body chunk by chunk: returns the bytes to pass on in place of {@code chunk} ({@code
 * chunk} itself to pass it unchanged, an empty array to hold nothing back and send nothing).
 */
@FunctionalInterface
public interface StreamingBodyHandler<C> {
  byte[] handle(RequestContext<C> ctx, C config, byte[] chunk, boolean endOfStream);
}

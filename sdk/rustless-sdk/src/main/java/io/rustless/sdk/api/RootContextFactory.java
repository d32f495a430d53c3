package io.rustless.sdk.api;

/** Creates the root context of a plugin; registered with {@link ProxyWasm#setRootContext}. */
@FunctionalInterface
public interface RootContextFactory {
  /** A new root context with the host-assigned {@code contextId}. */
  RootContext create(int contextId);
}

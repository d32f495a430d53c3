package io.rustless.sdk.api;

import io.rustless.sdk.internal.CurrentHost;
import io.rustless.sdk.internal.Dispatcher;

/**
 * The entry point a plugin's {@code main} uses to register itself. Register only: the host is not
 * reachable while {@code main} runs.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   ProxyWasm.setRootContext(MyRoot::new);
 * }
 * }</pre>
 */
public final class ProxyWasm {
  private ProxyWasm() {}

  /** Registers the factory of the plugin's root context. */
  public static void setRootContext(RootContextFactory factory) {
    Dispatcher.setRootContextFactory(factory);
  }

  /**
   * Chooses what a stream gets when a callback throws (default {@link FailurePolicy#FAIL_OPEN}).
   */
  public static void setFailurePolicy(FailurePolicy policy) {
    Dispatcher.setFailurePolicy(policy);
  }

  /**
   * Bytes the plugin's heap can still allocate (see {@link
   * io.rustless.sdk.host.Host#freeHeapBytes()}); for sizing work on large bodies before starting
   * it.
   */
  public static long freeHeapBytes() {
    return CurrentHost.get().freeHeapBytes();
  }
}

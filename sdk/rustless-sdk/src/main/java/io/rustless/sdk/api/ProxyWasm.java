package io.rustless.sdk.api;

import io.rustless.sdk.host.HeapRoom;

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
    runtime().setRootContextFactory(factory);
  }

  /**
   * Chooses what a stream gets when a callback throws (default {@link FailurePolicy#FAIL_OPEN}).
   */
  public static void setFailurePolicy(FailurePolicy policy) {
    runtime().setFailurePolicy(policy);
  }

  /**
   * Makes sure {@code bytes} can still be allocated in the plugin's heap, collecting garbage first
   * if needed, or throws {@link io.rustless.sdk.host.HeapLimitException}. Running out of heap in a
   * module traps; call this before work whose memory grows with untrusted input, and answer the
   * exception (e.g. with a 413).
   */
  public static void ensureHeapRoom(long bytes) {
    HeapRoom.ensure(PluginRuntime.host(), "work", bytes, bytes);
  }

  private static PluginRuntime runtime() {
    PluginRuntime r = PluginRuntime.current();
    if (r == null) {
      throw new IllegalStateException(
          "no proxy-wasm VM: a plugin's main registers it in one (a proxy, or the Rustless test"
              + " kit), not on its own");
    }
    return r;
  }
}

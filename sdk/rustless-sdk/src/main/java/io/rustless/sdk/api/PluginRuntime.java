package io.rustless.sdk.api;

import io.rustless.sdk.host.Host;
import io.rustless.sdk.host.StreamType;

/**
 * The VM a plugin's code runs in, as the plugin API sees it: the host its calls go to, where the
 * plugin registers, and who routes the answers to calls out. Each VM has one (the SDK's
 * dispatcher); it is current while the VM runs the plugin's {@code main} or a callback. Plugins use
 * their contexts and {@link ProxyWasm} instead; this is the seam between the API and the layer that
 * implements the ABI under it.
 */
public abstract class PluginRuntime {
  private static PluginRuntime current;
  private static Host currentHost;

  protected PluginRuntime() {}

  /**
   * The runtime of the VM whose code is running; null outside one (a plugin's code run outside a
   * host fails on its first host call, in {@link #host()}, with a message that says so).
   */
  public static PluginRuntime current() {
    return current;
  }

  /** The host of the VM whose code is running. */
  public static Host host() {
    Host h = currentHost;
    if (h == null) {
      throw new IllegalStateException(
          "no proxy-wasm host: run the plugin as Wasm in a proxy, or through the Rustless test kit");
    }
    return h;
  }

  /**
   * Makes {@code runtime} current (null: none); returns the one it replaces, for a VM that must
   * hand control back.
   */
  protected static PluginRuntime makeCurrent(PluginRuntime runtime) {
    PluginRuntime previous = current;
    current = runtime;
    currentHost = runtime == null ? null : runtime.runtimeHost();
    return previous;
  }

  /** This runtime's host. */
  protected abstract Host runtimeHost();

  /** Registers the factory of the plugin's root context (from {@code main}). */
  public abstract void setRootContextFactory(RootContextFactory factory);

  /** Chooses what a stream gets when a callback throws. */
  public abstract void setFailurePolicy(FailurePolicy policy);

  /**
   * Remembers that the running context dispatched HTTP call {@code token}: its answer goes to
   * {@code handler}, or to the context's {@link Context#onHttpCallResponse} if it is null.
   */
  public abstract void trackHttpCall(int token, HttpCallHandler handler);

  /** Remembers that the running context dispatched gRPC call or stream {@code token}. */
  public abstract void trackGrpcCall(int token);

  /** As {@link #trackHttpCall}, for Redis call {@code token}. */
  public abstract void trackRedisCall(int token, RedisCallHandler handler);

  /** The running stream resumed one direction (so a later failure need not resume it). */
  public abstract void resumed(StreamType direction);
}

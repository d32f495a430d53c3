package io.rustless.sdk.internal;

import io.rustless.sdk.host.Host;

/**
 * The host the plugin talks to: the module's imports when running as Wasm, the emulator under the
 * test kit. Internal: plugins reach the host through their contexts.
 */
public final class CurrentHost {
  private static Host host;

  private CurrentHost() {}

  /** The installed host. */
  public static Host get() {
    Host h = host;
    if (h == null) {
      throw new IllegalStateException(
          "no proxy-wasm host: run the plugin as Wasm in a proxy, or through the Rustless test kit");
    }
    return h;
  }

  /** Installs {@code h}; {@code null} uninstalls. */
  public static void install(Host h) {
    host = h;
  }
}

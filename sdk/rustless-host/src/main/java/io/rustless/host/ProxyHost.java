package io.rustless.host;

import io.rustless.host.engine.PluginModule;
import io.rustless.host.state.SharedState;

/**
 * A proxy-wasm host, as Envoy is one for Higress: it runs plugins in {@link Vm}s and holds what its
 * VMs share (shared data, shared queues, metrics). A gateway makes one and, for each plugin, one VM
 * per worker; a test makes one per plugin instance.
 *
 * <pre>{@code
 * ProxyHost host = ProxyHost.create();
 * try (Vm vm = host.vm(ChicoryModule.load(wasm)).pluginConfiguration(json).start();
 *     HttpStream stream = vm.newStream()) {
 *   stream.requestHeaders(HeaderMap.of(":authority", "example.com", ":path", "/"), true);
 *   stream.getLocalReply().ifPresent(reply -> ...);
 * }
 * }</pre>
 */
public final class ProxyHost {
  private final SharedState shared = new SharedState();

  private ProxyHost() {}

  public static ProxyHost create() {
    return new ProxyHost();
  }

  /** A builder for a VM running {@code module} in this host. */
  public Vm.Builder vm(PluginModule module) {
    return new Vm.Builder(this, module);
  }

  /** Shared data, queues and metrics, as every VM of this host sees them. */
  public SharedState shared() {
    return shared;
  }
}

package io.rustless.dev;

import java.net.URI;
import java.nio.file.Path;

/** The gateway of {@code rustless dev}: serves the WasmPlugins of one namespace of the API. */
public interface DevGateway extends AutoCloseable {

  /** Where it listens, e.g. {@code http://127.0.0.1:40123}. */
  URI url();

  @Override
  void close();

  /** Starts a gateway following the API of {@code kubeconfig}. */
  @FunctionalInterface
  interface Starter {
    DevGateway start(Settings settings);
  }

  /**
   * What a dev gateway is given.
   *
   * @param kubeconfig the embedded API's kubeconfig
   * @param namespace the controller namespace whose WasmPlugins it serves
   * @param listen host:port to listen on (port 0: a free one)
   * @param upstream where requests no Ingress routes go
   * @param plainHttpRegistry the registry (host:port) to pull from over plain HTTP, if any
   * @param log one line per gateway event (loads, reloads, refusals)
   */
  record Settings(
      Path kubeconfig,
      String namespace,
      String listen,
      URI upstream,
      String plainHttpRegistry,
      java.util.function.Consumer<String> log) {}
}

package io.rustless.operator.dependent;

import io.rustless.operator.higress.WasmPlugin;

/**
 * The WasmPlugin the reconciler decided to serve, handed to {@link WasmPluginDependent} through the
 * reconciliation context.
 *
 * @param desired name, namespace, labels, owner reference and spec (with the image's url)
 */
public record PublishRequest(WasmPlugin desired) {

  /** Context key. */
  public static final String KEY = "rustless.publish-request";
}

package io.rustless.operator.dependent;

/**
 * What the WasmPlugin should serve, handed to {@link WasmPluginDependent} through the
 * reconciliation context.
 *
 * @param image {@code <registry>/<repo>@sha256:<hex>} of a successful build
 */
public record PublishRequest(String image) {

  /** Context key. */
  public static final String KEY = "rustless.publish-request";
}

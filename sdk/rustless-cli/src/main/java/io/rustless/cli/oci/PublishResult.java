package io.rustless.cli.oci;

/**
 * A pushed image.
 *
 * @param image where it was pushed (with the tag)
 * @param digest the manifest digest, {@code sha256:…}
 * @param wasmSize bytes of plugin.wasm
 * @param wasmSha256 hex sha256 of plugin.wasm
 * @param blobsUploaded blobs sent (the others were already in the registry)
 * @param millis time spent talking to the registry
 */
public record PublishResult(
    ImageReference image,
    String digest,
    long wasmSize,
    String wasmSha256,
    int blobsUploaded,
    long millis) {

  /** {@code registry/repository@sha256:…}. */
  public String reference() {
    return image.pinned(digest);
  }

  /** The {@code url} for a WasmPlugin: pinned, so the gateway never loads another build. */
  public String wasmPluginUrl() {
    return "oci://" + reference();
  }

  /** The one line the builder Job writes to its termination log (the operator reads it). */
  public String toJson() {
    return "{\"digest\":"
        + JsonText.quote(digest)
        + ",\"reference\":"
        + JsonText.quote(reference())
        + ",\"size\":"
        + wasmSize
        + "}";
  }
}

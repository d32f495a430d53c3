package io.rustless.cli.oci;

import java.util.List;

/**
 * What {@link ImageVerifier} found in an image the fetcher would accept.
 *
 * @param manifestDigest {@code sha256:…} of the manifest that was checked
 * @param variant how the fetcher reads it: {@code docker}, {@code compat} (OCI, last layer
 *     tar+gzip) or {@code oci} (two layers, one raw Wasm)
 * @param layerMediaTypes the layers in manifest order
 * @param wasmSize bytes of plugin.wasm
 * @param wasmSha256 hex sha256 of plugin.wasm
 * @param abiVersion the proxy-wasm ABI the module declares, e.g. {@code 0.2.100}
 * @param warnings things worth a look that do not stop the gateway from loading it
 */
public record VerifyReport(
    ImageReference image,
    String manifestDigest,
    String variant,
    List<String> layerMediaTypes,
    long wasmSize,
    String wasmSha256,
    String abiVersion,
    List<String> warnings,
    byte[] wasm) {

  public VerifyReport {
    layerMediaTypes = List.copyOf(layerMediaTypes);
    warnings = List.copyOf(warnings);
    wasm = wasm.clone();
  }

  @Override
  public byte[] wasm() {
    return wasm.clone();
  }

  /** {@code oci://registry/repository@sha256:…}. */
  public String wasmPluginUrl() {
    return "oci://" + image.pinned(manifestDigest);
  }
}

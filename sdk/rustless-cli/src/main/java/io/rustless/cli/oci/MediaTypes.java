package io.rustless.cli.oci;

/**
 * Media types and annotations of the images Higress loads plugins from (higress.cn "wasm image
 * spec", Istio/Higress {@code pkg/wasm/imagefetcher.go}).
 */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** The layer the fetcher reads {@code plugin.wasm} from in an OCI image ("compat" variant). */
  public static final String OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

  /** The same for a Docker image ({@code FROM scratch} + {@code COPY plugin.wasm ./}). */
  public static final String DOCKER_LAYER_TAR_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";

  /** Raw Wasm bytes: the fetcher's "oci" variant, which must have exactly two layers. */
  public static final String WASM_CONTENT_LAYER =
      "application/vnd.module.wasm.content.layer.v1+wasm";

  /** {@code spec.yaml}, read by the Higress console. */
  public static final String WASM_SPEC = "application/vnd.module.wasm.spec.v1+yaml";

  /** {@code README.md}. */
  public static final String WASM_DOC = "application/vnd.module.wasm.doc.v1+markdown";

  /**
   * The config ORAS 1.0 writes when given no artifact type; Higress's own plugin images carry it,
   * and the fetcher ignores the config.
   */
  public static final String UNKNOWN_CONFIG = "application/vnd.unknown.config.v1+json";

  public static final String TITLE_ANNOTATION = "org.opencontainers.image.title";

  /** Marks the solo.io "compat" layout; informative, the fetcher does not require it. */
  public static final String VARIANT_ANNOTATION = "module.wasm.image/variant";

  /** Istio's and Higress's fetcher stop reading a tar at this size. */
  public static final long MAX_WASM_BYTES = 256L << 20;

  private MediaTypes() {}
}

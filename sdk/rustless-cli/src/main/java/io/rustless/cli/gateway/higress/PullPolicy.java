package io.rustless.cli.gateway.higress;

/**
 * {@code spec.imagePullPolicy}, as Istio's module cache applies it ({@code pkg/wasm/cache.go
 * shouldIgnoreResourceVersion}): IfNotPresent uses a cached module; Always pulls again whenever the
 * WasmPlugin changes; UNSPECIFIED_POLICY is IfNotPresent, except for an {@code oci://} url whose
 * path ends in {@code :latest}, which is Always. A module pinned by checksum ({@code sha256} or
 * {@code @sha256:} in the url) is never pulled twice, whatever the policy.
 */
public enum PullPolicy {
  UNSPECIFIED_POLICY,
  IfNotPresent,
  Always
}

package io.rustless.sdk.higress.cluster;

/**
 * An upstream for calls out: the Envoy/Istio cluster name that {@code proxy_http_call} and {@code
 * proxy_redis_call} take, and the host name to send as {@code :authority}. The names are exactly
 * those of Higress's Rust and Go SDKs.
 */
public interface Cluster {
  /** The cluster name, e.g. {@code outbound|8080|v1|foo.bar.svc.cluster.local}. */
  String clusterName();

  /** The host to put in {@code :authority} when the URL has none. */
  String hostName();
}

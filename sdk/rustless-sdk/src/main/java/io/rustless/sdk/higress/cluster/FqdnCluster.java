package io.rustless.sdk.higress.cluster;

/** Any service by its FQDN: {@code outbound|<port>||<fqdn>}; host {@code fqdn}. */
public record FqdnCluster(String fqdn, String host, int port) implements Cluster {

  public FqdnCluster(String fqdn, int port) {
    this(fqdn, "", port);
  }

  @Override
  public String clusterName() {
    return "outbound|" + port + "||" + fqdn;
  }

  @Override
  public String hostName() {
    return host.isEmpty() ? fqdn : host;
  }
}

package io.rustless.sdk.higress.cluster;

/** A DNS service: {@code outbound|<port>||<service>.dns}; host {@code domain}. */
public record DnsCluster(String service, String domain, int port) implements Cluster {

  @Override
  public String clusterName() {
    return "outbound|" + port + "||" + service + ".dns";
  }

  @Override
  public String hostName() {
    return domain;
  }
}

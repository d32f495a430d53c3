package io.rustless.sdk.higress.cluster;

/** A static-IP service: {@code outbound|<port>||<service>.static}; host {@code service}. */
public record StaticIpCluster(String service, int port, String host) implements Cluster {

  @Override
  public String clusterName() {
    return "outbound|" + port + "||" + service + ".static";
  }

  @Override
  public String hostName() {
    return host.isEmpty() ? service : host;
  }
}

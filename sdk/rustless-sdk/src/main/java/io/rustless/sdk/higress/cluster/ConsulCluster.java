package io.rustless.sdk.higress.cluster;

/**
 * A Consul service: {@code outbound|<port>||<service>.<datacenter>.consul}; host {@code service}.
 */
public record ConsulCluster(String service, String datacenter, int port, String host)
    implements Cluster {

  @Override
  public String clusterName() {
    return "outbound|" + port + "||" + service + "." + datacenter + ".consul";
  }

  @Override
  public String hostName() {
    return host.isEmpty() ? service : host;
  }
}

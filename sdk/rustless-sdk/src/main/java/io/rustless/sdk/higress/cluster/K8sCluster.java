package io.rustless.sdk.higress.cluster;

/**
 * A Kubernetes service: {@code outbound|<port>|<version>|<service>.<namespace>.svc.cluster.local}
 * (namespace "default" when empty); host {@code <service>.<namespace>.svc.cluster.local} unless
 * {@code host} is given.
 */
public record K8sCluster(String service, String namespace, int port, String version, String host)
    implements Cluster {

  public K8sCluster(String service, String namespace, int port) {
    this(service, namespace, port, "", "");
  }

  @Override
  public String clusterName() {
    String ns = namespace.isEmpty() ? "default" : namespace;
    return "outbound|" + port + "|" + version + "|" + service + "." + ns + ".svc.cluster.local";
  }

  @Override
  public String hostName() {
    return host.isEmpty() ? service + "." + namespace + ".svc.cluster.local" : host;
  }
}

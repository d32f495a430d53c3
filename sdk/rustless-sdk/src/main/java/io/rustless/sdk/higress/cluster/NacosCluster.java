package io.rustless.sdk.higress.cluster;

/**
 * A Nacos service: {@code outbound|<port>|<version>|<service>.<group>.<namespaceId>.nacos} ({@code
 * .nacos-ext} for an external registry); an empty group is {@code DEFAULT-GROUP} and underscores in
 * the group become dashes; host {@code service} unless {@code host} is given.
 */
public record NacosCluster(
    String service,
    String group,
    String namespaceId,
    int port,
    boolean extRegistry,
    String version,
    String host)
    implements Cluster {

  @Override
  public String clusterName() {
    String g = group.isEmpty() ? "DEFAULT-GROUP" : group.replace('_', '-');
    return "outbound|"
        + port
        + "|"
        + version
        + "|"
        + service
        + "."
        + g
        + "."
        + namespaceId
        + (extRegistry ? ".nacos-ext" : ".nacos");
  }

  @Override
  public String hostName() {
    return host.isEmpty() ? service : host;
  }
}

package io.rustless.sdk.higress.cluster;

import io.rustless.sdk.api.PluginRuntime;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.lang.Utf8;
import java.util.Collections;

/**
 * The cluster of the current request's route (the {@code cluster_name} property, "" if none); host
 * {@code host}, or the request's {@code :authority}. Read when used, so create it inside a request
 * callback.
 */
public record RouteCluster(String host) implements Cluster {

  public RouteCluster() {
    this("");
  }

  @Override
  public String clusterName() {
    return PluginRuntime.host()
        .getProperty(Collections.singletonList("cluster_name"))
        .map(Utf8::decode)
        .orElse("");
  }

  @Override
  public String hostName() {
    if (!host.isEmpty()) {
      return host;
    }
    return PluginRuntime.host()
        .getHeaderMapValue(MapType.HTTP_REQUEST_HEADERS, ":authority")
        .orElse("");
  }
}

package io.rustless.sdk.higress.rules;

import io.rustless.sdk.api.PluginRuntime;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.lang.Utf8;
import java.util.List;

/**
 * The host's view of the request whose callback is running ({@link RequestAttributes#current()}):
 * each attribute is read at most once per match, as bytes; the property paths are constants, so the
 * host facade keeps their encoding.
 */
final class CurrentRequest implements RequestAttributes {
  private static final List<String> ROUTE_NAME = List.of("route_name");
  private static final List<String> CLUSTER_NAME = List.of("cluster_name");
  private static final byte[] NONE = new byte[0];

  private byte[] authority;
  private byte[] routeName;

  CurrentRequest() {}

  @Override
  public byte[] authorityBytes() {
    byte[] a = authority;
    if (a == null) {
      a =
          PluginRuntime.host()
              .getHeaderMapValueBytes(MapType.HTTP_REQUEST_HEADERS, ":authority")
              .orElse(NONE);
      authority = a;
    }
    return a;
  }

  @Override
  public byte[] routeNameBytes() {
    byte[] r = routeName;
    if (r == null) {
      r = PluginRuntime.host().getProperty(ROUTE_NAME).orElse(NONE);
      routeName = r;
    }
    return r;
  }

  @Override
  public String authority() {
    return Utf8.decode(authorityBytes());
  }

  @Override
  public String routeName() {
    return Utf8.decode(routeNameBytes());
  }

  @Override
  public String clusterName() {
    return Utf8.decode(PluginRuntime.host().getProperty(CLUSTER_NAME).orElse(NONE));
  }
}

package io.rustless.sdk.higress.rules;

import io.rustless.sdk.api.PluginRuntime;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.lang.Utf8;
import java.util.Collections;

/** What the rule matcher looks at: the request's authority and the route and cluster it took. */
public interface RequestAttributes {
  /** The {@code :authority} header ({@code ""} if absent). */
  String authority();

  /** The {@code route_name} property ({@code ""} if absent). */
  String routeName();

  /** The {@code cluster_name} property, e.g. {@code outbound|80||svc.ns.svc.cluster.local}. */
  String clusterName();

  /** Fixed values, for tests and tools. */
  static RequestAttributes of(String authority, String routeName, String clusterName) {
    return new RequestAttributes() {
      @Override
      public String authority() {
        return authority;
      }

      @Override
      public String routeName() {
        return routeName;
      }

      @Override
      public String clusterName() {
        return clusterName;
      }
    };
  }

  /**
   * The current request's attributes, read from the host only when a rule needs them: a matcher
   * with only domain rules never asks for the route or cluster.
   */
  static RequestAttributes current() {
    return new RequestAttributes() {
      @Override
      public String authority() {
        return PluginRuntime.host()
            .getHeaderMapValue(MapType.HTTP_REQUEST_HEADERS, ":authority")
            .orElse("");
      }

      @Override
      public String routeName() {
        return property("route_name");
      }

      @Override
      public String clusterName() {
        return property("cluster_name");
      }

      private String property(String name) {
        return PluginRuntime.host()
            .getProperty(Collections.singletonList(name))
            .map(Utf8::decode)
            .orElse("");
      }
    };
  }
}

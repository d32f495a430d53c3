package io.rustless.sdk.higress.rules;

import io.rustless.sdk.lang.Utf8;

/**
 * What the rule matcher looks at: the request's authority and the route and cluster it took. The
 * matcher compares bytes ({@link #authorityBytes()}, {@link #routeNameBytes()}); by default they
 * are the UTF-8 of the strings.
 */
public interface RequestAttributes {
  /** The {@code :authority} header ({@code ""} if absent). */
  String authority();

  /** The {@code route_name} property ({@code ""} if absent). */
  String routeName();

  /** The {@code cluster_name} property, e.g. {@code outbound|80||svc.ns.svc.cluster.local}. */
  String clusterName();

  /** The {@code :authority} header's bytes (empty if absent). */
  default byte[] authorityBytes() {
    return Utf8.encode(authority());
  }

  /** The {@code route_name} property's bytes (empty if absent). */
  default byte[] routeNameBytes() {
    return Utf8.encode(routeName());
  }

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
   * The current request's attributes, read from the host only when a rule needs them (a matcher
   * with only domain rules never asks for the route or cluster), and then once per match.
   */
  static RequestAttributes current() {
    return new CurrentRequest();
  }
}

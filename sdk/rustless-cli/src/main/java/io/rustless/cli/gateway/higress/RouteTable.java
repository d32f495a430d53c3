package io.rustless.cli.gateway.higress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Routes by host, as Envoy picks them from the virtual hosts Istio makes of Higress's routes: the
 * virtual host whose domain is the request's host (case ignored, port ignored), else the longest
 * matching wildcard {@code *.suffix}, else {@code *}; then the first route of that host whose path
 * matches. A host that has routes but none for the path does not fall back to {@code *}: the
 * request has no route (Envoy answers 404).
 */
public final class RouteTable {
  private final Map<String, List<Route>> byHost;

  RouteTable(Map<String, List<Route>> byHost) {
    Map<String, List<Route>> copy = new LinkedHashMap<>();
    byHost.forEach((h, r) -> copy.put(h, List.copyOf(r)));
    this.byHost = copy;
  }

  public static RouteTable empty() {
    return new RouteTable(Map.of());
  }

  /** Every route, host by host, each host's in match order. */
  public List<Route> routes() {
    List<Route> all = new ArrayList<>();
    byHost.values().forEach(all::addAll);
    return all;
  }

  public boolean isEmpty() {
    return byHost.isEmpty();
  }

  /** The route a request for {@code authority} and {@code path} takes, if any. */
  public Optional<Route> match(String authority, String path) {
    List<Route> routes = virtualHost(hostOf(authority));
    if (routes == null) {
      return Optional.empty();
    }
    for (Route r : routes) {
      if (r.matches(path)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  private List<Route> virtualHost(String host) {
    List<Route> exact = byHost.get(host);
    if (exact != null) {
      return exact;
    }
    String best = null;
    for (String h : byHost.keySet()) {
      if (h.startsWith("*.")
          && host.length() > h.length() - 1
          && host.endsWith(h.substring(1))
          && (best == null || h.length() > best.length())) {
        best = h;
      }
    }
    if (best != null) {
      return byHost.get(best);
    }
    return byHost.get("*");
  }

  /** The host of an authority: lower case, without the port ({@code [v6]:port} kept bracketed). */
  static String hostOf(String authority) {
    if (authority == null) {
      return "";
    }
    String a = authority.strip().toLowerCase(Locale.ROOT);
    if (a.startsWith("[")) {
      int close = a.indexOf(']');
      return close < 0 ? a : a.substring(0, close + 1);
    }
    int colon = a.lastIndexOf(':');
    return colon < 0 ? a : a.substring(0, colon);
  }

  /**
   * The order Higress gives a host's routes ({@code pkg/ingress/kube/common/tool.go
   * SortHTTPRoutes}, a stable sort): exact paths, then prefixes, longer paths first within each;
   * the catch-all prefix {@code /} after them; default backends last.
   */
  static final Comparator<Route> HIGRESS_ORDER =
      Comparator.<Route>comparingInt(r -> r.defaultBackend() ? 2 : isAllCatch(r) ? 1 : 0)
          .thenComparingInt(r -> r.pathType() == Route.PathType.EXACT ? 0 : 1)
          .thenComparing(Comparator.<Route>comparingInt(r -> r.path().length()).reversed());

  private static boolean isAllCatch(Route r) {
    return r.pathType() == Route.PathType.PREFIX && r.path().equals("/");
  }
}

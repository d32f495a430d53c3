package io.rustless.cli.serve;

import io.rustless.cli.UsageException;
import io.rustless.host.upstream.Upstreams;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the plugin's HTTP calls ({@code proxy_http_call}) to a cluster go: {@code --cluster
 * name=http://127.0.0.1:PORT}. A name is a full Envoy cluster name ({@code outbound|80||llm.dns})
 * or its FQDN part ({@code llm.dns}), the way the host matches them.
 */
public final class ClusterRoutes {
  private final Map<String, URI> routes;

  private ClusterRoutes(Map<String, URI> routes) {
    this.routes = Map.copyOf(routes);
  }

  public static ClusterRoutes none() {
    return new ClusterRoutes(Map.of());
  }

  /** Parses {@code name=url} specs; a usage error names the bad one. */
  public static ClusterRoutes parse(List<String> specs) {
    Map<String, URI> out = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || eq == spec.length() - 1) {
        throw new UsageException(
            "bad --cluster '"
                + spec
                + "': expected name=http://host:port or name=redis://host:port, e.g."
                + " outbound|80||llm.dns=http://127.0.0.1:8081");
      }
      String name = spec.substring(0, eq).strip();
      URI uri;
      try {
        uri = URI.create(spec.substring(eq + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new UsageException("bad --cluster '" + spec + "': " + e.getMessage(), e);
      }
      boolean redis = "redis".equals(uri.getScheme());
      if (!(redis || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new UsageException(
            "bad --cluster '" + spec + "': the url must be http://host:port or redis://host:port");
      }
      if (redis && uri.getPort() < 0) {
        throw new UsageException("bad --cluster '" + spec + "': a redis:// url needs a port");
      }
      if (out.put(name, uri) != null) {
        throw new UsageException("--cluster " + name + " is given twice");
      }
    }
    return new ClusterRoutes(out);
  }

  public Map<String, URI> routes() {
    return routes;
  }

  public boolean isEmpty() {
    return routes.isEmpty();
  }

  /**
   * Where the plugin's calls go: {@code redis://} clusters take its Redis calls, {@code http://}
   * ones its HTTP calls.
   */
  public Upstreams upstreams() {
    Upstreams.Builder b = Upstreams.builder();
    routes.forEach(
        (name, uri) -> {
          if (uri.getScheme().equals("redis")) {
            b.redis(name, uri.getHost(), uri.getPort());
          } else {
            b.http(name, uri);
          }
        });
    return b.build();
  }
}

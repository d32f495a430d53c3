package io.rustless.cli.gateway.higress;

import java.util.Objects;

/**
 * One route Higress makes from an Ingress path: what a request's {@code route_name} and {@code
 * cluster_name} properties are when it matches.
 *
 * @param name the route name, {@code route_name} ({@code name}, {@code namespace/name}, or either
 *     with {@code -default} for a default backend)
 * @param ingress {@code namespace/name} of the Ingress it comes from
 * @param host the rule's host, {@code *} for none
 * @param pathType EXACT or PREFIX (ImplementationSpecific and no type are PREFIX in Higress)
 * @param path as Higress keeps it: a prefix path loses its trailing slash
 * @param backend the Kubernetes service the route sends to
 * @param defaultBackend true for a route made from {@code spec.defaultBackend}
 */
public record Route(
    String name,
    String ingress,
    String host,
    PathType pathType,
    String path,
    Backend backend,
    boolean defaultBackend) {

  public Route {
    Objects.requireNonNull(name);
    Objects.requireNonNull(ingress);
    Objects.requireNonNull(host);
    Objects.requireNonNull(pathType);
    Objects.requireNonNull(path);
    Objects.requireNonNull(backend);
  }

  /** How a path matches. */
  public enum PathType {
    EXACT,
    PREFIX
  }

  /**
   * A Kubernetes service and port, as an Envoy cluster.
   *
   * @param fqdn {@code name.namespace.svc.cluster.local}
   */
  public record Backend(String service, String namespace, String fqdn, int port) {
    /** Istio's outbound cluster name, {@code outbound|<port>||<fqdn>}: what rules see. */
    public String clusterName() {
      return "outbound|" + port + "||" + fqdn;
    }
  }

  /**
   * True if {@code requestPath} (the {@code :path}, query included) matches, as Envoy matches the
   * routes Higress generates: an exact path is compared without the query string; a prefix {@code
   * /a} matches {@code /a} exactly or anything under {@code /a/} ({@code
   * pkg/ingress/kube/ingressv1/controller.go generateHttpMatches}); the prefix {@code /} matches
   * everything. Case matters.
   */
  public boolean matches(String requestPath) {
    int q = requestPath.indexOf('?');
    String withoutQuery = q < 0 ? requestPath : requestPath.substring(0, q);
    if (pathType == PathType.EXACT) {
      return withoutQuery.equals(path);
    }
    if (path.equals("/")) {
      return true;
    }
    return withoutQuery.equals(path) || requestPath.startsWith(path + "/");
  }

  /** {@code foo.com Prefix /api -> outbound|80||svc.default.svc.cluster.local}. */
  public String describe() {
    return host
        + " "
        + (pathType == PathType.EXACT ? "Exact" : "Prefix")
        + " "
        + path
        + " -> "
        + backend.clusterName();
  }
}

package io.rustless.cli.gateway.higress;

import io.rustless.cli.gateway.resource.KubeObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Higress's routes from {@code networking.k8s.io/v1} Ingresses, as its Ingress controller makes
 * them (alibaba/higress @ 4e0d6914, {@code pkg/ingress/kube/ingressv1/controller.go}, lines of that
 * file unless said otherwise):
 *
 * <ul>
 *   <li>Which Ingresses: those of the gateway's class ({@code shouldProcessIngressWithClass},
 *       1090–1119; Higress's default class is {@code higress}, {@code pkg/cmd/server.go} line 108,
 *       so an Ingress without a class is not served), in the watched namespace if one is set.
 *   <li>Defaults ({@code setDefaultMSEIngressOptionalField}, 1194–1236): no host is {@code *}, no
 *       path is {@code /}, no path type is Prefix (with a trailing {@code .*} or {@code /*}
 *       removed), ImplementationSpecific is Prefix.
 *   <li>Names ({@code pkg/ingress/kube/common/tool.go GenerateUniqueRouteName}, 316–321): the
 *       Ingress's name if it is in the controller's namespace, else {@code namespace/name}; a
 *       default backend's route adds {@code -default} (996).
 *   <li>Order: Ingresses by creation time, ties by {@code name.namespace} ({@code tool.go
 *       SortIngressByCreationTime}, 88–97); a host+type+path already defined (by this Ingress or an
 *       earlier one) is a duplicate and dropped (503–530); a host's routes are then sorted by
 *       {@link RouteTable#HIGRESS_ORDER}.
 *   <li>Backends ({@code backendToRouteDestination}, 1029–1075): {@code
 *       name.namespace.svc.cluster.local} and the port number, or the named port of the Service
 *       ({@code resolveNamedPort}); a route whose backend cannot be resolved is dropped.
 *   <li>{@code spec.defaultBackend} ({@code ApplyDefaultBackend}, 672–741): a catch-all route for
 *       {@code *} and for each host of the Ingress that has no {@code /} prefix route.
 * </ul>
 *
 * Annotations (rewrites, canaries, header matches, regular expressions…) are not applied; an
 * Ingress that asks for regular-expression paths is skipped with a problem, since its paths would
 * mean something else.
 */
public final class IngressRoutes {
  /** Higress's {@code --ingressClass} default. */
  public static final String DEFAULT_INGRESS_CLASS = "higress";

  static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";
  private static final Set<String> REGEX_ANNOTATIONS =
      Set.of("higress.io/use-regex", "nginx.ingress.kubernetes.io/use-regex");

  private IngressRoutes() {}

  /**
   * How the controller is set up.
   *
   * @param systemNamespace the controller's namespace ({@code higress-system})
   * @param ingressClass the class served; empty for every Ingress (Higress's {@code --ingressClass
   *     ""})
   * @param watchNamespace only Ingresses there; empty for every namespace
   * @param domainSuffix the cluster's DNS suffix, {@code cluster.local}
   */
  public record Options(
      String systemNamespace, String ingressClass, String watchNamespace, String domainSuffix) {
    public Options {
      Objects.requireNonNull(systemNamespace);
      Objects.requireNonNull(ingressClass);
      Objects.requireNonNull(watchNamespace);
      Objects.requireNonNull(domainSuffix);
    }

    public static Options defaults(String systemNamespace) {
      return new Options(systemNamespace, DEFAULT_INGRESS_CLASS, "", "cluster.local");
    }
  }

  /** The routes, and one line for each Ingress or path that gave none. */
  public record Result(RouteTable table, List<String> problems) {}

  /** Builds the routes of {@code ingresses}; {@code services} resolve named ports. */
  public static Result build(List<KubeObject> ingresses, List<KubeObject> services, Options opts) {
    List<String> problems = new ArrayList<>();
    List<KubeObject> served = new ArrayList<>();
    for (KubeObject ing : ingresses) {
      if (!ing.apiVersion().equals("networking.k8s.io/v1")) {
        problems.add(
            ing.describe() + " is " + ing.apiVersion() + "; only networking.k8s.io/v1 is read");
        continue;
      }
      if (!opts.watchNamespace().isEmpty() && !opts.watchNamespace().equals(ing.namespace())) {
        continue;
      }
      Optional<String> notServed = classMismatch(ing, opts.ingressClass());
      if (notServed.isPresent()) {
        problems.add(ing.describe() + " is not served: " + notServed.get());
        continue;
      }
      served.add(ing);
    }
    served.sort(
        Comparator.<KubeObject, Instant>comparing(o -> o.creationTimestamp().orElse(Instant.MIN))
            .thenComparing(o -> o.name() + "." + o.namespace()));

    Map<String, List<Route>> byHost = new LinkedHashMap<>();
    Set<String> catchAllHosts = new HashSet<>();
    Set<String> defined = new HashSet<>();
    Map<String, String> definedBy = new LinkedHashMap<>();
    List<ParsedIngress> parsed = new ArrayList<>();
    for (KubeObject ing : served) {
      ParsedIngress p;
      try {
        p = ParsedIngress.read(ing, services, opts);
      } catch (InvalidResourceException e) {
        problems.add(e.getMessage());
        continue;
      }
      parsed.add(p);
      problems.addAll(p.problems());
      Set<String> inThisIngress = new HashSet<>();
      for (ParsedIngress.PathRule r : p.paths()) {
        if (r.path().equals("/") && r.type() == Route.PathType.PREFIX) {
          catchAllHosts.add(r.host());
        }
        String key =
            r.host()
                + "-"
                + (r.type() == Route.PathType.EXACT ? "exact" : "prefix")
                + "-"
                + r.path();
        if (!inThisIngress.add(key) || !defined.add(key)) {
          problems.add(
              ing.describe()
                  + ": "
                  + r.host()
                  + " "
                  + r.type()
                  + " "
                  + r.path()
                  + " is already routed by "
                  + definedBy.getOrDefault(key, ing.describe())
                  + "; this path is ignored (as Higress does)");
          continue;
        }
        definedBy.put(key, ing.describe());
        if (r.backend().isEmpty()) {
          continue; // its problem is already reported
        }
        byHost
            .computeIfAbsent(r.host(), h -> new ArrayList<>())
            .add(
                new Route(
                    p.routeName(),
                    ing.key(),
                    r.host(),
                    r.type(),
                    r.path(),
                    r.backend().get(),
                    false));
      }
    }
    // Default backends, after every Ingress's own routes (convertVirtualService).
    for (ParsedIngress p : parsed) {
      if (p.defaultBackend().isEmpty()) {
        continue;
      }
      Route.Backend b = p.defaultBackend().get();
      String name = p.routeName() + "-default";
      if (!catchAllHosts.contains("*")) {
        byHost
            .computeIfAbsent("*", h -> new ArrayList<>())
            .add(new Route(name, p.source().key(), "*", Route.PathType.PREFIX, "/", b, true));
      }
      for (String host : p.hosts()) {
        if (host.equals("*") || catchAllHosts.contains(host)) {
          continue;
        }
        byHost
            .computeIfAbsent(host, h -> new ArrayList<>())
            .add(new Route(name, p.source().key(), host, Route.PathType.PREFIX, "/", b, true));
        catchAllHosts.add(host);
      }
    }
    for (List<Route> routes : byHost.values()) {
      routes.sort(RouteTable.HIGRESS_ORDER);
    }
    return new Result(new RouteTable(byHost), problems);
  }

  /**
   * Why an Ingress is not of the served class ({@code shouldProcessIngressWithClass}); empty if it
   * is. IngressClass objects are not read: {@code spec.ingressClassName} is compared by name.
   */
  static Optional<String> classMismatch(KubeObject ing, String servedClass) {
    if (servedClass.isEmpty()) {
      return Optional.empty();
    }
    Object annotation = ing.annotations().get(CLASS_ANNOTATION);
    if (annotation != null) {
      String cls = String.valueOf(annotation);
      boolean ok =
          servedClass.equals("nginx")
              ? cls.isEmpty() || cls.equals("nginx")
              : servedClass.equals(cls);
      return ok
          ? Optional.empty()
          : Optional.of(
              "its annotation "
                  + CLASS_ANNOTATION
                  + " is \""
                  + cls
                  + "\", the gateway serves class \""
                  + servedClass
                  + "\"");
    }
    Object name = ing.spec().get("ingressClassName");
    String cls = name instanceof String s ? s : "";
    boolean ok =
        servedClass.equals("nginx")
            ? cls.isEmpty() || cls.equals("nginx")
            : servedClass.equals(cls);
    if (ok) {
      return Optional.empty();
    }
    return Optional.of(
        cls.isEmpty()
            ? "it has no spec.ingressClassName; Higress serves only class \""
                + servedClass
                + "\" (set ingressClassName: "
                + servedClass
                + ")"
            : "its ingressClassName is \""
                + cls
                + "\", the gateway serves \""
                + servedClass
                + "\"");
  }

  static boolean wantsRegex(KubeObject ing) {
    for (String a : REGEX_ANNOTATIONS) {
      if ("true".equals(String.valueOf(ing.annotations().get(a)))) {
        return true;
      }
    }
    return false;
  }
}

package io.rustless.cli.gateway.higress;

import io.rustless.cli.gateway.resource.KubeObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One Ingress's rules with Higress's defaults applied (see {@link IngressRoutes}). */
record ParsedIngress(
    KubeObject source,
    String routeName,
    List<PathRule> paths,
    Set<String> hosts,
    Optional<Route.Backend> defaultBackend,
    List<String> problems) {

  /** One path of a rule; no backend if it could not be resolved (a problem says why). */
  record PathRule(String host, Route.PathType type, String path, Optional<Route.Backend> backend) {}

  private static final Set<String> SPEC_FIELDS =
      Set.of("ingressClassName", "defaultBackend", "rules", "tls");

  static ParsedIngress read(KubeObject ing, List<KubeObject> services, IngressRoutes.Options opts) {
    FieldReader r = new FieldReader();
    if (ing.hasMalformedSpec()) {
      r.error("spec", "Invalid value: must be of type object");
      throw new InvalidResourceException(ing.describe(), r.errors());
    }
    if (IngressRoutes.wantsRegex(ing)) {
      throw new InvalidResourceException(
          ing.describe(),
          List.of(
              "it asks for regular-expression paths (use-regex annotation), which rustless gateway"
                  + " does not implement; its routes are not served"));
    }
    Map<String, Object> spec = ing.spec();
    r.unknownFields(spec, "spec", SPEC_FIELDS);
    List<Map<String, Object>> rules = r.objects(spec, "spec", "rules");
    Optional<Map<String, Object>> defaultBackendSpec = r.object(spec, "spec", "defaultBackend");
    if (!r.errors().isEmpty()) {
      throw new InvalidResourceException(ing.describe(), r.errors());
    }
    if (rules.isEmpty() && defaultBackendSpec.isEmpty()) {
      throw new InvalidResourceException(
          ing.describe(), List.of("either `defaultBackend` or `rules` must be specified"));
    }
    String routeName = ing.namespace().equals(opts.systemNamespace()) ? ing.name() : ing.key();
    List<String> problems = new ArrayList<>();
    List<PathRule> paths = new ArrayList<>();
    Set<String> hosts = new LinkedHashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      String rulePath = "spec.rules[" + i + "]";
      Map<String, Object> rule = rules.get(i);
      String host = r.string(rule, rulePath, "host");
      Optional<Map<String, Object>> http = r.object(rule, rulePath, "http");
      List<Map<String, Object>> httpPaths =
          http.map(h -> r.objects(h, rulePath + ".http", "paths")).orElse(List.of());
      if (http.isPresent() && host.isEmpty()) {
        host = "*";
      }
      if (!host.isEmpty()) {
        hosts.add(host);
      }
      if (httpPaths.isEmpty()) {
        problems.add(
            ing.describe()
                + ": "
                + rulePath
                + " for host \""
                + host
                + "\" has no paths; it gives no route");
        continue;
      }
      for (int j = 0; j < httpPaths.size(); j++) {
        String where = rulePath + ".http.paths[" + j + "]";
        Map<String, Object> p = httpPaths.get(j);
        String path = r.string(p, where, "path");
        if (path.isEmpty()) {
          path = "/";
        }
        Object typeValue = p.get("pathType");
        Route.PathType type;
        if (typeValue == null) {
          type = Route.PathType.PREFIX;
          // Ingresses written for old Kubernetes versions ("/api/*", "/api.*").
          if (path.endsWith(".*")) {
            path = path.substring(0, path.length() - 2);
          } else if (path.endsWith("/*")) {
            path = path.substring(0, path.length() - 2);
          }
          if (path.isEmpty()) {
            path = "/";
          }
        } else if ("Exact".equals(typeValue)) {
          type = Route.PathType.EXACT;
        } else if ("Prefix".equals(typeValue) || "ImplementationSpecific".equals(typeValue)) {
          type = Route.PathType.PREFIX;
        } else {
          problems.add(
              ing.describe()
                  + ": "
                  + where
                  + ".pathType: Unsupported value: \""
                  + typeValue
                  + "\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"");
          continue;
        }
        if (!path.startsWith("/")) {
          problems.add(
              ing.describe() + ": " + where + ".path: \"" + path + "\" must be an absolute path");
          continue;
        }
        if (type == Route.PathType.PREFIX && !path.equals("/") && path.endsWith("/")) {
          path = path.substring(0, path.length() - 1);
        }
        Optional<Map<String, Object>> backend = r.object(p, where, "backend");
        Optional<Route.Backend> resolved =
            backend(ing, backend, where + ".backend", services, opts, problems);
        paths.add(new PathRule(host, type, path, resolved));
      }
    }
    Optional<Route.Backend> defaultBackend =
        defaultBackendSpec.isEmpty()
            ? Optional.empty()
            : backend(ing, defaultBackendSpec, "spec.defaultBackend", services, opts, problems);
    for (String e : r.errors()) {
      problems.add(ing.describe() + ": " + e);
    }
    return new ParsedIngress(ing, routeName, paths, hosts, defaultBackend, problems);
  }

  private static Optional<Route.Backend> backend(
      KubeObject ing,
      Optional<Map<String, Object>> backend,
      String where,
      List<KubeObject> services,
      IngressRoutes.Options opts,
      List<String> problems) {
    if (backend.isEmpty()) {
      problems.add(ing.describe() + ": " + where + " is missing");
      return Optional.empty();
    }
    Object service = backend.get().get("service");
    if (!(service instanceof Map<?, ?> svc)) {
      problems.add(
          ing.describe() + ": " + where + " is not a service (resource backends are not served)");
      return Optional.empty();
    }
    Object name = svc.get("name");
    if (!(name instanceof String n) || n.isEmpty()) {
      problems.add(ing.describe() + ": " + where + ".service.name is empty");
      return Optional.empty();
    }
    Object port = svc.get("port");
    int number = 0;
    String portName = "";
    if (port instanceof Map<?, ?> pm) {
      if (pm.get("number") instanceof Number num) {
        number = num.intValue();
      }
      if (pm.get("name") instanceof String s) {
        portName = s;
      }
    }
    if (number <= 0) {
      Optional<Integer> resolved = namedPort(ing.namespace(), n, portName, services);
      if (resolved.isEmpty()) {
        problems.add(
            ing.describe()
                + ": "
                + where
                + ".service.port "
                + (portName.isEmpty()
                    ? "has neither a number nor a name"
                    : "\""
                        + portName
                        + "\" cannot be resolved: no Service "
                        + ing.namespace()
                        + "/"
                        + n
                        + " with a port of that name among the resources")
                + "; the route is dropped (as Higress does)");
        return Optional.empty();
      }
      number = resolved.get();
    }
    String fqdn = n + "." + ing.namespace() + ".svc." + opts.domainSuffix();
    return Optional.of(new Route.Backend(n, ing.namespace(), fqdn, number));
  }

  private static Optional<Integer> namedPort(
      String namespace, String service, String portName, List<KubeObject> services) {
    if (portName.isEmpty()) {
      return Optional.empty();
    }
    for (KubeObject s : services) {
      if (!s.namespace().equals(namespace) || !s.name().equals(service)) {
        continue;
      }
      if (s.spec().get("ports") instanceof List<?> ports) {
        for (Object o : ports) {
          if (o instanceof Map<?, ?> p
              && portName.equals(p.get("name"))
              && p.get("port") instanceof Number num) {
            return Optional.of(num.intValue());
          }
        }
      }
    }
    return Optional.empty();
  }
}

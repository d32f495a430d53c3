package io.rustless.cli.gateway.higress;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.gateway.resource.KubeObject;
import io.rustless.cli.gateway.resource.YamlResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Routes from Ingresses as Higress makes them ("ing" is alibaba/higress {@code
 * pkg/ingress/kube/ingressv1/controller.go}, "tool" {@code pkg/ingress/kube/common/tool.go}, @
 * 4e0d6914), matched as Envoy matches them.
 */
class IngressRoutesTest {
  private static final IngressRoutes.Options OPTS =
      IngressRoutes.Options.defaults("higress-system");

  @Test
  void routeNameIsTheIngressNameInTheControllerNamespaceElseNamespaceSlashName() {
    // tool 316-321 GenerateUniqueRouteName.
    IngressRoutes.Result r =
        build(
            ingress("higress-system", "local", "a.com", "Prefix", "/", "svc", 80),
            ingress("default", "remote", "b.com", "Prefix", "/", "svc", 80));
    assertThat(route(r, "a.com", "/").name()).isEqualTo("local");
    assertThat(route(r, "b.com", "/").name()).isEqualTo("default/remote");
  }

  @Test
  void clusterNameIsIstiosOutboundName() {
    // ing 1062-1070 (CreateServiceFQDN, util.go 104-109); Istio's BuildSubsetKey.
    IngressRoutes.Result r = build(ingress("shop", "web", "a.com", "Prefix", "/", "front", 8080));
    Route route = route(r, "a.com", "/x");
    assertThat(route.backend().fqdn()).isEqualTo("front.shop.svc.cluster.local");
    assertThat(route.backend().clusterName())
        .isEqualTo("outbound|8080||front.shop.svc.cluster.local");
  }

  @Test
  void exactPathsIgnoreTheQueryAndNothingElse() {
    // ing 645-648: StringMatch_Exact, which Envoy compares with the path without its query.
    IngressRoutes.Result r = build(ingress("default", "e", "a.com", "Exact", "/exact", "s", 80));
    assertThat(match(r, "a.com", "/exact")).isPresent();
    assertThat(match(r, "a.com", "/exact?x=1")).isPresent();
    assertThat(match(r, "a.com", "/exact/")).isEmpty();
    assertThat(match(r, "a.com", "/exactly")).isEmpty();
    assertThat(match(r, "a.com", "/EXACT")).isEmpty();
  }

  @Test
  void prefixPathsMatchWholeSegments() {
    // ing 555-560 (trailing slash trimmed) and 649-666 (exact /api or prefix /api/).
    IngressRoutes.Result r =
        build(
            ingress("default", "p", "a.com", "Prefix", "/api/", "s", 80),
            ingress("default", "q", "b.com", "Prefix", "/", "s", 80));
    assertThat(route(r, "a.com", "/api").path()).isEqualTo("/api");
    assertThat(match(r, "a.com", "/api/")).isPresent();
    assertThat(match(r, "a.com", "/api/v1?x")).isPresent();
    assertThat(match(r, "a.com", "/api?x")).isPresent();
    assertThat(match(r, "a.com", "/apis")).isEmpty();
    assertThat(match(r, "b.com", "/anything/at/all")).isPresent();
  }

  @Test
  void implementationSpecificAndMissingPathTypesArePrefixes() {
    // ing 1216-1233: no pathType is Prefix (old ".*" and "/*" suffixes removed);
    // ImplementationSpecific is Prefix.
    IngressRoutes.Result r =
        build(
            ingress("default", "i", "a.com", "ImplementationSpecific", "/impl", "s", 80),
            ingress("default", "n", "b.com", null, "/old/*", "s", 80));
    assertThat(route(r, "a.com", "/impl/x").pathType()).isEqualTo(Route.PathType.PREFIX);
    Route old = route(r, "b.com", "/old/x");
    assertThat(old.path()).isEqualTo("/old");
  }

  @Test
  void routesOfAHostAreOrderedExactThenLongerPrefixesThenCatchAll() {
    // tool 172-246 SortHTTPRoutes: exact first, longer paths first, "/" last.
    IngressRoutes.Result r =
        build(
            multi(
                "default",
                "m",
                "a.com",
                new String[][] {
                  {"Prefix", "/", "root"},
                  {"Prefix", "/a", "short"},
                  {"Prefix", "/a/b", "long"},
                  {"Exact", "/a/b", "exact"}
                }));
    assertThat(r.table().routes().stream().map(x -> x.backend().service()).toList())
        .containsExactly("exact", "long", "short", "root");
    assertThat(route(r, "a.com", "/a/b").backend().service()).isEqualTo("exact");
    assertThat(route(r, "a.com", "/a/b/c").backend().service()).isEqualTo("long");
    assertThat(route(r, "a.com", "/a/x").backend().service()).isEqualTo("short");
    assertThat(route(r, "a.com", "/z").backend().service()).isEqualTo("root");
  }

  @Test
  void hostsMatchExactlyThenByLongestWildcardThenStar() {
    // Envoy's virtual host selection over the domains Istio generates; host case and port ignored.
    IngressRoutes.Result r =
        build(
            ingress("default", "exact", "foo.example.com", "Prefix", "/", "exact", 80),
            ingress("default", "wide", "*.example.com", "Prefix", "/", "wide", 80),
            ingress("default", "narrow", "*.bar.example.com", "Prefix", "/", "narrow", 80),
            ingress("default", "any", null, "Prefix", "/", "any", 80));
    assertThat(route(r, "FOO.example.com:8080", "/").backend().service()).isEqualTo("exact");
    assertThat(route(r, "x.example.com", "/").backend().service()).isEqualTo("wide");
    assertThat(route(r, "a.b.example.com", "/").backend().service()).isEqualTo("wide");
    assertThat(route(r, "a.bar.example.com", "/").backend().service()).isEqualTo("narrow");
    assertThat(route(r, "example.com", "/").backend().service()).isEqualTo("any");
    assertThat(route(r, "other.org", "/").backend().service()).isEqualTo("any");
    assertThat(route(r, "any", "/").host()).isEqualTo("*");
  }

  @Test
  void aHostWithoutAMatchingPathDoesNotFallBackToStar() {
    IngressRoutes.Result r =
        build(
            ingress("default", "api", "a.com", "Prefix", "/api", "api", 80),
            ingress("default", "any", null, "Prefix", "/", "any", 80));
    assertThat(match(r, "a.com", "/other")).isEmpty();
    assertThat(match(r, "b.com", "/other")).isPresent();
  }

  @Test
  void onlyIngressesOfTheHigressClassAreServed() {
    // ing 1090-1119 with --ingressClass higress (pkg/cmd/server.go 108): no class is not served.
    KubeObject none = ingress("default", "none", "a.com", "Prefix", "/", "s", 80);
    KubeObject named = withClass(ingress("default", "named", "b.com", "Prefix", "/", "s", 80));
    KubeObject annotated =
        annotated(
            ingress("default", "annotated", "c.com", "Prefix", "/", "s", 80),
            "kubernetes.io/ingress.class",
            "higress");
    KubeObject nginx =
        annotated(
            ingress("default", "nginx", "d.com", "Prefix", "/", "s", 80),
            "kubernetes.io/ingress.class",
            "nginx");
    IngressRoutes.Result r =
        IngressRoutes.build(List.of(none, named, annotated, nginx), List.of(), OPTS);
    assertThat(match(r, "a.com", "/")).isEmpty();
    assertThat(match(r, "b.com", "/")).isPresent();
    assertThat(match(r, "c.com", "/")).isPresent();
    assertThat(match(r, "d.com", "/")).isEmpty();
    assertThat(r.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("Ingress default/none is not served")
                    .contains("set ingressClassName: higress"));
    // --ingress-class "" serves every Ingress (ing 1094-1095, 1103-1104, 1110-1111).
    IngressRoutes.Result all =
        IngressRoutes.build(
            List.of(none, named, annotated, nginx),
            List.of(),
            new IngressRoutes.Options("higress-system", "", "", "cluster.local"));
    assertThat(all.table().routes()).hasSize(4);
  }

  @Test
  void aDuplicatePathGoesToTheEarlierIngress() {
    // ing 503-530: the first Ingress (creation time, then name.namespace: tool 88-97) keeps it.
    KubeObject older =
        created(
            withClass(ingress("default", "zz-older", "a.com", "Prefix", "/x", "old", 80)),
            "2020-01-01T00:00:00Z");
    KubeObject newer =
        created(
            withClass(ingress("default", "aa-newer", "a.com", "Prefix", "/x", "new", 80)),
            "2024-01-01T00:00:00Z");
    IngressRoutes.Result r = IngressRoutes.build(List.of(newer, older), List.of(), OPTS);
    assertThat(route(r, "a.com", "/x").backend().service()).isEqualTo("old");
    assertThat(r.problems())
        .anySatisfy(p -> assertThat(p).contains("aa-newer").contains("already routed by"));
    // Without creation times (files), the name decides.
    KubeObject b = withClass(ingress("default", "b", "a.com", "Prefix", "/x", "b", 80));
    KubeObject a = withClass(ingress("default", "a", "a.com", "Prefix", "/x", "a", 80));
    assertThat(route(IngressRoutes.build(List.of(b, a), List.of(), OPTS), "a.com", "/x").name())
        .isEqualTo("default/a");
  }

  @Test
  void namedPortsAreResolvedThroughServices() {
    // ing 1077-1088 resolveNamedPort; an unresolved port drops the route (1047-1050).
    KubeObject ing =
        parse(
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: named, namespace: shop}
            spec:
              ingressClassName: higress
              rules:
                - host: a.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
                - host: b.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: gone, port: {name: http}}}}
            """);
    KubeObject svc =
        parse(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              ports: [{name: metrics, port: 9090}, {name: http, port: 8080}]
            """);
    IngressRoutes.Result r = IngressRoutes.build(List.of(ing), List.of(svc), OPTS);
    assertThat(route(r, "a.com", "/").backend().port()).isEqualTo(8080);
    assertThat(match(r, "b.com", "/")).isEmpty();
    assertThat(r.problems())
        .anySatisfy(
            p -> assertThat(p).contains("\"http\" cannot be resolved").contains("shop/gone"));
  }

  @Test
  void aDefaultBackendCatchesWhatTheRulesDoNot() {
    // ing 672-741 ApplyDefaultBackend and 950-998 createDefaultRoute ("-default").
    KubeObject ing =
        parse(
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: site, namespace: higress-system}
            spec:
              ingressClassName: higress
              defaultBackend: {service: {name: fallback, port: {number: 80}}}
              rules:
                - host: a.com
                  http:
                    paths:
                      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
                - host: b.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: b, port: {number: 80}}}}
            """);
    IngressRoutes.Result r = IngressRoutes.build(List.of(ing), List.of(), OPTS);
    assertThat(route(r, "a.com", "/api").backend().service()).isEqualTo("api");
    Route fallback = route(r, "a.com", "/other");
    assertThat(fallback.name()).isEqualTo("site-default");
    assertThat(fallback.defaultBackend()).isTrue();
    assertThat(route(r, "b.com", "/other").backend().service()).isEqualTo("b");
    assertThat(route(r, "elsewhere.org", "/").name()).isEqualTo("site-default");
  }

  @Test
  void unusableIngressesAreReportedNotServed() {
    KubeObject empty =
        parse(
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: empty, namespace: default}
            spec: {ingressClassName: higress}
            """);
    KubeObject regex =
        annotated(
            withClass(ingress("default", "regex", "r.com", "Prefix", "/a.*", "s", 80)),
            "higress.io/use-regex",
            "true");
    KubeObject beta =
        parse(
            """
            apiVersion: networking.k8s.io/v1beta1
            kind: Ingress
            metadata: {name: beta, namespace: default}
            spec: {ingressClassName: higress}
            """);
    IngressRoutes.Result r = IngressRoutes.build(List.of(empty, regex, beta), List.of(), OPTS);
    assertThat(r.table().isEmpty()).isTrue();
    assertThat(r.problems())
        .anySatisfy(p -> assertThat(p).contains("either `defaultBackend` or `rules`"))
        .anySatisfy(p -> assertThat(p).contains("regular-expression"))
        .anySatisfy(p -> assertThat(p).contains("only networking.k8s.io/v1 is read"));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static IngressRoutes.Result build(KubeObject... ingresses) {
    List<KubeObject> list = new ArrayList<>();
    for (KubeObject o : ingresses) {
      list.add(withClass(o));
    }
    return IngressRoutes.build(list, List.of(), OPTS);
  }

  private static Optional<Route> match(IngressRoutes.Result r, String host, String path) {
    return r.table().match(host, path);
  }

  private static Route route(IngressRoutes.Result r, String host, String path) {
    return match(r, host, path)
        .orElseThrow(() -> new AssertionError("no route for " + host + path + ": " + r.problems()));
  }

  static KubeObject ingress(
      String ns, String name, String host, String pathType, String path, String svc, int port) {
    return multi(ns, name, host, new String[][] {{pathType, path, svc, Integer.toString(port)}});
  }

  static KubeObject multi(String ns, String name, String host, String[][] paths) {
    StringBuilder y = new StringBuilder();
    y.append("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ")
        .append(name)
        .append("\n  namespace: ")
        .append(ns)
        .append("\nspec:\n  rules:\n    - ")
        .append(host == null ? "" : "host: \"" + host + "\"\n      ")
        .append("http:\n        paths:\n");
    for (String[] p : paths) {
      y.append("          - path: \"").append(p[1]).append("\"\n");
      if (p[0] != null) {
        y.append("            pathType: ").append(p[0]).append('\n');
      }
      y.append("            backend: {service: {name: ")
          .append(p[2])
          .append(", port: {number: ")
          .append(p.length > 3 ? p[3] : "80")
          .append("}}}\n");
    }
    return parse(y.toString());
  }

  private static KubeObject withClass(KubeObject o) {
    if (o.spec().containsKey("ingressClassName")
        || o.annotations().containsKey("kubernetes.io/ingress.class")) {
      return o;
    }
    java.util.Map<String, Object> body = deepCopy(o.body());
    spec(body).put("ingressClassName", "higress");
    return KubeObject.of(body, o.origin());
  }

  private static KubeObject annotated(KubeObject o, String key, String value) {
    java.util.Map<String, Object> body = deepCopy(o.body());
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> meta = (java.util.Map<String, Object>) body.get("metadata");
    meta.put("annotations", new java.util.LinkedHashMap<>(java.util.Map.of(key, value)));
    return KubeObject.of(body, o.origin());
  }

  private static KubeObject created(KubeObject o, String timestamp) {
    java.util.Map<String, Object> body = deepCopy(o.body());
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> meta = (java.util.Map<String, Object>) body.get("metadata");
    meta.put("creationTimestamp", timestamp);
    return KubeObject.of(body, o.origin());
  }

  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> spec(java.util.Map<String, Object> body) {
    return (java.util.Map<String, Object>) body.get("spec");
  }

  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> deepCopy(java.util.Map<String, Object> in) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    in.forEach(
        (k, v) ->
            out.put(
                k,
                v instanceof java.util.Map<?, ?> m
                    ? deepCopy((java.util.Map<String, Object>) m)
                    : v));
    return out;
  }

  private static KubeObject parse(String yaml) {
    return YamlResources.parse(yaml, "test").get(0);
  }
}

package io.rustless.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.WasmPluginSettings;
import io.rustless.operator.higress.DesiredWasmPlugin;
import io.rustless.operator.higress.WasmPluginSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a namespace may attach to: the policy rules, each named in its violation. */
class TenancyTest {

  private static final String GATEWAY = "higress-system";

  private static RustlessPolicy policy(
      String name,
      List<String> namespaces,
      List<String> domains,
      List<String> services,
      boolean global) {
    var p = new RustlessPolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    p.setSpec(new RustlessPolicySpec(namespaces, domains, services, global));
    return p;
  }

  private static final List<RustlessPolicy> POLICIES =
      List.of(
          policy(
              "team-a",
              List.of("team-a"),
              List.of("*.team-a.example.com"),
              List.of("*.team-a.svc.cluster.local"),
              false),
          policy("shared", List.of("team-*"), List.of("shared.example.com"), null, false));

  private static WasmPluginSpec spec(
      String namespace, Map<String, Object> defaultConfig, Boolean disable, MatchRule... rules) {
    var s = new WasmPluginSettings();
    s.setDefaultConfig(defaultConfig);
    s.setDefaultConfigDisable(disable);
    s.setMatchRules(rules.length == 0 ? null : List.of(rules));
    return DesiredWasmPlugin.spec(s, namespace, GATEWAY);
  }

  private static MatchRule rule(List<String> ingress, List<String> domain, List<String> service) {
    return new MatchRule(ingress, domain, service, Map.of("k", "v"), null);
  }

  private static List<String> rules(List<Violation> violations) {
    return violations.stream().map(Violation::rule).toList();
  }

  @Test
  void aNamespaceNoPolicyAdmitsMayCreateNothing() {
    var v =
        Tenancy.check(
            "other",
            GATEWAY,
            spec("other", null, null, rule(List.of("web"), null, null)),
            POLICIES);

    assertThat(v)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.rule()).isEqualTo("namespace-admitted");
              assertThat(x.toString())
                  .startsWith(
                      "policy rule namespace-admitted: no RustlessPolicy admits namespace other");
            });
  }

  @Test
  void ownIngressesAreAlwaysAllowedAndABareNameMeansTheOwnNamespace() {
    var s = spec("team-a", null, true, rule(List.of("web", "team-a/api"), null, null));

    assertThat(s.getMatchRules().get(0).getIngress()).containsExactly("team-a/web", "team-a/api");
    assertThat(Tenancy.check("team-a", GATEWAY, s, POLICIES)).isEmpty();
  }

  @Test
  void anotherNamespacesIngressIsRefusedWithThePath() {
    var v =
        Tenancy.check(
            "team-a",
            GATEWAY,
            spec("team-a", null, true, rule(List.of("team-b/web"), null, null)),
            POLICIES);

    assertThat(v)
        .singleElement()
        .satisfies(
            x ->
                assertThat(x.toString())
                    .isEqualTo(
                        "policy rule ingress-own-namespace: spec.wasmPlugin.matchRules[0].ingress[0] \"team-b/web\" is an Ingress"
                            + " of namespace team-b; a source may attach only to Ingresses of its own namespace (team-a)"));
  }

  @Test
  void domainsAndServicesMustBeGrantedByAPolicyOfTheNamespace() {
    var ok =
        spec(
            "team-a",
            null,
            true,
            rule(
                null,
                List.of("api.team-a.example.com", "*.x.team-a.example.com", "shared.example.com"),
                null),
            rule(null, null, List.of("backend.team-a.svc.cluster.local:8080")));
    var bad =
        spec(
            "team-a",
            null,
            true,
            rule(null, List.of("api.other.com", "*.example.com"), null),
            rule(null, null, List.of("db.team-b.svc.cluster.local")));

    assertThat(Tenancy.check("team-a", GATEWAY, ok, POLICIES)).isEmpty();
    var v = Tenancy.check("team-a", GATEWAY, bad, POLICIES);
    assertThat(rules(v)).containsExactly("domain-allowed", "domain-allowed", "service-allowed");
    assertThat(v.get(0).detail())
        .isEqualTo(
            "spec.wasmPlugin.matchRules[0].domain[0] \"api.other.com\" is not a domain RustlessPolicies"
                + " shared, team-a grants (granted: *.team-a.example.com, shared.example.com)");
  }

  @Test
  void aGlobalPluginNeedsAnExplicitAllowance() {
    var noRules = spec("team-a", Map.of("k", "v"), null);
    var defaultOnAllRoutes =
        spec("team-a", Map.of("k", "v"), null, rule(null, List.of("a.team-a.example.com"), null));
    var rulesOnly =
        spec("team-a", Map.of("k", "v"), true, rule(null, List.of("a.team-a.example.com"), null));

    assertThat(rules(Tenancy.check("team-a", GATEWAY, noRules, POLICIES)))
        .containsExactly("global-plugin-allowed");
    assertThat(rules(Tenancy.check("team-a", GATEWAY, defaultOnAllRoutes, POLICIES)))
        .containsExactly("global-plugin-allowed");
    assertThat(Tenancy.check("team-a", GATEWAY, rulesOnly, POLICIES)).isEmpty();
    var allowing = List.of(policy("g", List.of("team-a"), null, null, true));
    assertThat(Tenancy.check("team-a", GATEWAY, noRules, allowing)).isEmpty();
  }

  @Test
  void patterns() {
    assertThat(Patterns.glob("team-*", "team-a")).isTrue();
    assertThat(Patterns.glob("team-*", "teamb")).isFalse();
    assertThat(Patterns.glob("*", "")).isTrue();
    assertThat(Patterns.domainCovers("*.example.com", "a.b.example.com")).isTrue();
    assertThat(Patterns.domainCovers("*.example.com", "*.example.com")).isTrue();
    assertThat(Patterns.domainCovers("*.example.com", "example.com")).isFalse();
    assertThat(Patterns.domainCovers("*.example.com", "*")).isFalse();
    assertThat(Patterns.domainCovers("example.*", "example.org")).isFalse();
    assertThat(Patterns.domainCovers("A.Example.com", "a.example.COM")).isTrue();
    assertThat(Patterns.serviceCovers("x.ns.svc.cluster.local", "x.ns.svc.cluster.local:80"))
        .isTrue();
    assertThat(Patterns.serviceCovers("x.ns.svc.cluster.local:80", "x.ns.svc.cluster.local:81"))
        .isFalse();
    assertThat(Patterns.serviceCovers("x.ns.svc.cluster.local:80", "x.ns.svc.cluster.local"))
        .isFalse();
  }
}

package io.rustless.operator.policy;

import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.higress.WasmPluginSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * What a source of one namespace may attach to, from the {@link RustlessPolicy} objects that admit
 * the namespace. Pure: it reads the WasmPlugin the source would write (so the same check applies to
 * one that is already serving when a policy changes).
 */
public final class Tenancy {

  public static final String NAMESPACE_ADMITTED = "namespace-admitted";
  public static final String INGRESS_OWN_NAMESPACE = "ingress-own-namespace";
  public static final String DOMAIN_ALLOWED = "domain-allowed";
  public static final String SERVICE_ALLOWED = "service-allowed";
  public static final String GLOBAL_PLUGIN_ALLOWED = "global-plugin-allowed";

  private Tenancy() {}

  /** The union of what the policies admitting {@code namespace} grant; empty when none does. */
  public record Grant(
      List<String> policies, Set<String> domains, Set<String> services, boolean global) {

    public boolean admits() {
      return !policies.isEmpty();
    }
  }

  public static Grant grant(String namespace, Collection<RustlessPolicy> policies) {
    var names = new ArrayList<String>();
    var domains = new LinkedHashSet<String>();
    var services = new LinkedHashSet<String>();
    boolean global = false;
    for (RustlessPolicy p : policies) {
      var spec = p.getSpec();
      if (spec == null || spec.getNamespaces() == null) {
        continue;
      }
      if (spec.getNamespaces().stream().noneMatch(pattern -> Patterns.glob(pattern, namespace))) {
        continue;
      }
      names.add(p.getMetadata().getName());
      if (spec.getDomains() != null) {
        domains.addAll(spec.getDomains());
      }
      if (spec.getServices() != null) {
        services.addAll(spec.getServices());
      }
      global |= Boolean.TRUE.equals(spec.getAllowGlobalPlugins());
    }
    names.sort(null);
    return new Grant(List.copyOf(names), Set.copyOf(domains), Set.copyOf(services), global);
  }

  /**
   * Every rule the WasmPlugin {@code spec} of a source in {@code namespace} breaks. Ingress entries
   * must already be route names as Higress reads them ({@code ns/name}, or a bare name for an
   * Ingress in {@code gatewayNamespace}).
   */
  public static List<Violation> check(
      String namespace,
      String gatewayNamespace,
      WasmPluginSpec spec,
      Collection<RustlessPolicy> policies) {
    Grant grant = grant(namespace, policies);
    var out = new ArrayList<Violation>();
    if (!grant.admits()) {
      out.add(
          new Violation(
              NAMESPACE_ADMITTED,
              "no RustlessPolicy admits namespace "
                  + namespace
                  + " (a cluster administrator grants it with a RustlessPolicy whose"
                  + " spec.namespaces matches it)"));
      return out;
    }
    List<MatchRule> rules = spec.getMatchRules() == null ? List.of() : spec.getMatchRules();
    boolean global =
        rules.isEmpty()
            || (spec.getDefaultConfig() != null
                && !Boolean.TRUE.equals(spec.getDefaultConfigDisable()));
    if (global && !grant.global()) {
      out.add(
          new Violation(
              GLOBAL_PLUGIN_ALLOWED,
              (rules.isEmpty()
                      ? "spec.wasmPlugin has no matchRules"
                      : "spec.wasmPlugin.defaultConfig is set without defaultConfigDisable: true")
                  + ", so the plugin would run on every route of the gateway; "
                  + via(grant)
                  + " allows no global plugins (spec.allowGlobalPlugins)"));
    }
    for (int i = 0; i < rules.size(); i++) {
      MatchRule rule = rules.get(i);
      String at = "spec.wasmPlugin.matchRules[" + i + "]";
      each(
          rule.getIngress(),
          at + ".ingress",
          (path, ingress) -> {
            int slash = ingress.indexOf('/');
            String ns = slash < 0 ? gatewayNamespace : ingress.substring(0, slash);
            if (!ns.equals(namespace)) {
              out.add(
                  new Violation(
                      INGRESS_OWN_NAMESPACE,
                      path
                          + " \""
                          + ingress
                          + "\" is an Ingress of namespace "
                          + ns
                          + "; a source may attach only to Ingresses of its own namespace ("
                          + namespace
                          + ")"));
            }
          });
      check(
          rule.getDomain(),
          at + ".domain",
          "domain",
          DOMAIN_ALLOWED,
          grant.domains(),
          grant,
          out,
          Patterns::domainCovers);
      check(
          rule.getService(),
          at + ".service",
          "service",
          SERVICE_ALLOWED,
          grant.services(),
          grant,
          out,
          Patterns::serviceCovers);
    }
    return out;
  }

  private static void check(
      List<String> requested,
      String at,
      String what,
      String ruleName,
      Set<String> granted,
      Grant grant,
      List<Violation> out,
      BiPredicate<String, String> covers) {
    each(
        requested,
        at,
        (path, value) -> {
          if (granted.stream().noneMatch(g -> covers.test(g, value))) {
            out.add(
                new Violation(
                    ruleName,
                    path
                        + " \""
                        + value
                        + "\" is not a "
                        + what
                        + " "
                        + via(grant)
                        + " grants"
                        + (granted.isEmpty()
                            ? " (it grants none)"
                            : " (granted: "
                                + String.join(", ", granted.stream().sorted().toList())
                                + ")")));
          }
        });
  }

  private static String via(Grant grant) {
    return (grant.policies().size() == 1 ? "RustlessPolicy " : "RustlessPolicies ")
        + String.join(", ", grant.policies());
  }

  private interface Entry {
    void accept(String path, String value);
  }

  private static void each(List<String> values, String at, Entry entry) {
    if (values == null) {
      return;
    }
    for (int j = 0; j < values.size(); j++) {
      entry.accept(at + "[" + j + "]", values.get(j));
    }
  }
}

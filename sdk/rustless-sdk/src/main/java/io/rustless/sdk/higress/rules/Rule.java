package io.rustless.sdk.higress.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One entry of {@code _rules_}: match conditions and the configuration they select. Each present
 * condition kind must match (the Higress controller writes {@code _match_route_} together with
 * {@code _match_domain_} or {@code _match_service_} for one matchRule); within a kind, any entry
 * matches.
 *
 * @param routes {@code _match_route_}: exact route names
 * @param routePrefixes {@code _match_route_prefix_}: route name prefixes
 * @param domains {@code _match_domain_}: {@code host}, {@code *.suffix}, {@code prefix*} or {@code
 *     *}, compared without port and without ASCII case
 * @param services {@code _match_service_}: {@code fqdn} or {@code fqdn:port}, compared with the
 *     {@code outbound|port|subset|fqdn} cluster name
 */
public record Rule<C>(
    List<String> routes,
    List<String> routePrefixes,
    List<String> domains,
    List<String> services,
    C config) {

  public Rule {
    routes = Collections.unmodifiableList(new ArrayList<>(routes));
    routePrefixes = Collections.unmodifiableList(new ArrayList<>(routePrefixes));
    domains = Collections.unmodifiableList(new ArrayList<>(domains));
    services = Collections.unmodifiableList(new ArrayList<>(services));
  }

  /**
   * True if every condition kind this rule has matches {@code request}. A {@link RuleMatcher}
   * compiles its rules once; this compiles on every call (for tests and tools).
   */
  public boolean matches(RequestAttributes request) {
    return new CompiledRule(this).matches(request);
  }

  /** {@code _match_service_} against the {@code outbound|port|subset|fqdn} cluster name. */
  boolean matchesService(String clusterName) {
    String[] parts = split4(clusterName);
    if (parts == null) {
      return false;
    }
    String port = parts[1];
    String fqdn = parts[3];
    for (String service : services) {
      int colon = service.lastIndexOf(':');
      if (colon < 0) {
        if (service.equals(fqdn)) {
          return true;
        }
      } else if (service.substring(0, colon).equals(fqdn)
          && service.substring(colon + 1).equals(port)) {
        return true;
      }
    }
    return false;
  }

  /** {@code outbound|port|subset|fqdn} split on '|', or null unless exactly four parts. */
  private static String[] split4(String s) {
    String[] out = new String[4];
    int start = 0;
    for (int i = 0; i < 3; i++) {
      int bar = s.indexOf('|', start);
      if (bar < 0) {
        return null;
      }
      out[i] = s.substring(start, bar);
      start = bar + 1;
    }
    if (s.indexOf('|', start) >= 0) {
      return null;
    }
    out[3] = s.substring(start);
    return out;
  }
}

package io.rustless.operator.policy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/** What a {@link RustlessPolicy} grants. Unset lists grant nothing. */
public class RustlessPolicySpec {

  @Required
  @Size(min = 1) @JsonPropertyDescription(
      "Namespaces this policy admits: names, or patterns with * (team-* matches team-a). Sources in"
          + " a namespace no policy admits are refused (ConfigValid=False, PolicyViolation).")
  private List<String> namespaces;

  @JsonPropertyDescription(
      "Domains match rules may name: exact names, *.example.com (any name ending in"
          + " .example.com, wildcards included) or * (any).")
  private List<String> domains;

  @JsonPropertyDescription(
      "Services match rules may name: fqdn or fqdn:port, where the fqdn may start with *."
          + " (e.g. *.team-a.svc.cluster.local); an entry without a port allows every port.")
  private List<String> services;

  @JsonPropertyDescription(
      "May sources of these namespaces create global plugins (no match rules, or a defaultConfig"
          + " without defaultConfigDisable: true), which run on every route of the gateway?"
          + " Default false.")
  private Boolean allowGlobalPlugins;

  public RustlessPolicySpec() {}

  public RustlessPolicySpec(
      List<String> namespaces,
      List<String> domains,
      List<String> services,
      Boolean allowGlobalPlugins) {
    this.namespaces = namespaces;
    this.domains = domains;
    this.services = services;
    this.allowGlobalPlugins = allowGlobalPlugins;
  }

  public List<String> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<String> namespaces) {
    this.namespaces = namespaces;
  }

  public List<String> getDomains() {
    return domains;
  }

  public void setDomains(List<String> domains) {
    this.domains = domains;
  }

  public List<String> getServices() {
    return services;
  }

  public void setServices(List<String> services) {
    this.services = services;
  }

  public Boolean getAllowGlobalPlugins() {
    return allowGlobalPlugins;
  }

  public void setAllowGlobalPlugins(Boolean allowGlobalPlugins) {
    this.allowGlobalPlugins = allowGlobalPlugins;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RustlessPolicySpec other
        && Objects.equals(namespaces, other.namespaces)
        && Objects.equals(domains, other.domains)
        && Objects.equals(services, other.services)
        && Objects.equals(allowGlobalPlugins, other.allowGlobalPlugins);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespaces, domains, services, allowGlobalPlugins);
  }
}

package io.rustless.operator.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Higress match rule: a config applied to some ingresses, domains or services. Used both in the
 * source's spec and in the generated WasmPlugin (same shape).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MatchRule {

  @JsonPropertyDescription("Route (ingress) names, written namespace/name.")
  private List<String> ingress;

  @JsonPropertyDescription("Domains, e.g. example.com or *.example.com.")
  private List<String> domain;

  @JsonPropertyDescription("Services, e.g. backend.default.svc.cluster.local:80.")
  private List<String> service;

  @PreserveUnknownFields
  @SchemaFrom(type = FreeFormObject.class)
  @JsonPropertyDescription(
      "Plugin config for this rule, checked against the extension's routeConfigSchema.")
  private Map<String, Object> config;

  @JsonPropertyDescription("Turn the plugin off for this rule.")
  private Boolean configDisable;

  public MatchRule() {}

  public MatchRule(
      List<String> ingress,
      List<String> domain,
      List<String> service,
      Map<String, Object> config,
      Boolean configDisable) {
    this.ingress = ingress;
    this.domain = domain;
    this.service = service;
    this.config = config;
    this.configDisable = configDisable;
  }

  public List<String> getIngress() {
    return ingress;
  }

  public void setIngress(List<String> ingress) {
    this.ingress = ingress;
  }

  public List<String> getDomain() {
    return domain;
  }

  public void setDomain(List<String> domain) {
    this.domain = domain;
  }

  public List<String> getService() {
    return service;
  }

  public void setService(List<String> service) {
    this.service = service;
  }

  public Map<String, Object> getConfig() {
    return config;
  }

  public void setConfig(Map<String, Object> config) {
    this.config = config;
  }

  public Boolean getConfigDisable() {
    return configDisable;
  }

  public void setConfigDisable(Boolean configDisable) {
    this.configDisable = configDisable;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MatchRule other
        && Objects.equals(ingress, other.ingress)
        && Objects.equals(domain, other.domain)
        && Objects.equals(service, other.service)
        && Objects.equals(config, other.config)
        && Objects.equals(configDisable, other.configDisable);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ingress, domain, service, config, configDisable);
  }
}

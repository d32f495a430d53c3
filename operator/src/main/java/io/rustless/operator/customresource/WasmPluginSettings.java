package io.rustless.operator.customresource;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The Higress WasmPlugin the operator writes. Unset fields are left to Higress's defaults. */
public class WasmPluginSettings {

  @JsonPropertyDescription(
      "WasmPlugin namespace: the Higress controller's namespace, one the operator may write to."
          + " Default: the operator's default (higress-system). The WasmPlugin's name is always"
          + " <source namespace>.<source name>, so sources of different namespaces never collide.")
  private String namespace;

  @JsonPropertyDescription("Filter-chain phase.")
  private PluginPhase phase;

  @JsonPropertyDescription("Order within the phase; higher runs first.")
  private Integer priority;

  @JsonPropertyDescription("Behaviour when the plugin cannot be fetched or fails.")
  private FailStrategy failStrategy;

  @JsonPropertyDescription("Image pull policy for the plugin image.")
  private PullPolicy imagePullPolicy;

  @JsonPropertyDescription("Pull secret name, in the WasmPlugin's namespace.")
  private String imagePullSecret;

  @PreserveUnknownFields
  @SchemaFrom(type = FreeFormObject.class)
  @JsonPropertyDescription("Global plugin config, checked against the extension's configSchema.")
  private Map<String, Object> defaultConfig;

  @JsonPropertyDescription("Disable the global config (only the match rules apply).")
  private Boolean defaultConfigDisable;

  @JsonPropertyDescription("Per-route, per-domain or per-service configs.")
  private List<MatchRule> matchRules;

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public PluginPhase getPhase() {
    return phase;
  }

  public void setPhase(PluginPhase phase) {
    this.phase = phase;
  }

  public Integer getPriority() {
    return priority;
  }

  public void setPriority(Integer priority) {
    this.priority = priority;
  }

  public FailStrategy getFailStrategy() {
    return failStrategy;
  }

  public void setFailStrategy(FailStrategy failStrategy) {
    this.failStrategy = failStrategy;
  }

  public PullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(PullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public String getImagePullSecret() {
    return imagePullSecret;
  }

  public void setImagePullSecret(String imagePullSecret) {
    this.imagePullSecret = imagePullSecret;
  }

  public Map<String, Object> getDefaultConfig() {
    return defaultConfig;
  }

  public void setDefaultConfig(Map<String, Object> defaultConfig) {
    this.defaultConfig = defaultConfig;
  }

  public Boolean getDefaultConfigDisable() {
    return defaultConfigDisable;
  }

  public void setDefaultConfigDisable(Boolean defaultConfigDisable) {
    this.defaultConfigDisable = defaultConfigDisable;
  }

  public List<MatchRule> getMatchRules() {
    return matchRules;
  }

  public void setMatchRules(List<MatchRule> matchRules) {
    this.matchRules = matchRules;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WasmPluginSettings other
        && Objects.equals(namespace, other.namespace)
        && phase == other.phase
        && Objects.equals(priority, other.priority)
        && failStrategy == other.failStrategy
        && imagePullPolicy == other.imagePullPolicy
        && Objects.equals(imagePullSecret, other.imagePullSecret)
        && Objects.equals(defaultConfig, other.defaultConfig)
        && Objects.equals(defaultConfigDisable, other.defaultConfigDisable)
        && Objects.equals(matchRules, other.matchRules);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        namespace,
        phase,
        priority,
        failStrategy,
        imagePullPolicy,
        imagePullSecret,
        defaultConfig,
        defaultConfigDisable,
        matchRules);
  }
}

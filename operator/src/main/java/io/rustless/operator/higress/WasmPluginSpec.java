package io.rustless.operator.higress;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rustless.operator.customresource.FailStrategy;
import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.PluginPhase;
import io.rustless.operator.customresource.PullPolicy;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The subset of Higress's WasmPlugin spec that the operator owns (see higress.md §4). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WasmPluginSpec {

  private String url;
  private PullPolicy imagePullPolicy;
  private String imagePullSecret;
  private PluginPhase phase;
  private Integer priority;
  private FailStrategy failStrategy;
  private Map<String, Object> defaultConfig;
  private Boolean defaultConfigDisable;
  private List<MatchRule> matchRules;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
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
    return o instanceof WasmPluginSpec other
        && Objects.equals(url, other.url)
        && imagePullPolicy == other.imagePullPolicy
        && Objects.equals(imagePullSecret, other.imagePullSecret)
        && phase == other.phase
        && Objects.equals(priority, other.priority)
        && failStrategy == other.failStrategy
        && Objects.equals(defaultConfig, other.defaultConfig)
        && Objects.equals(defaultConfigDisable, other.defaultConfigDisable)
        && Objects.equals(matchRules, other.matchRules);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        url,
        imagePullPolicy,
        imagePullSecret,
        phase,
        priority,
        failStrategy,
        defaultConfig,
        defaultConfigDisable,
        matchRules);
  }
}

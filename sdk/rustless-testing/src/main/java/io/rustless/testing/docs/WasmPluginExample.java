package io.rustless.testing.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Higress {@code WasmPlugin} found in a README, with the plugin configuration the Higress
 * controller derives from it ({@code pkg/ingress/config/ingress_config.go}): {@code defaultConfig}
 * unless disabled, plus one {@code _rules_} entry per enabled match rule carrying {@code
 * _match_route_} (from {@code ingress}), {@code _match_domain_} and {@code _match_service_}; a
 * {@code pluginConfig} is used verbatim instead.
 */
public record WasmPluginExample(String name, Map<String, Object> spec, String pluginConfiguration) {

  static final Set<String> SPEC_FIELDS =
      Set.of(
          "url",
          "sha256",
          "imagePullPolicy",
          "imagePullSecret",
          "verificationKey",
          "pluginConfig",
          "pluginName",
          "phase",
          "priority",
          "failStrategy",
          "vmConfig",
          "defaultConfig",
          "defaultConfigDisable",
          "matchRules");
  static final Set<String> RULE_FIELDS =
      Set.of("ingress", "domain", "service", "config", "configDisable", "routeType");

  /** Builds the example, rejecting fields the WasmPlugin CRD does not have. */
  @SuppressWarnings("unchecked")
  static WasmPluginExample of(Map<String, Object> resource, String where) {
    Map<String, Object> metadata =
        (Map<String, Object>) resource.getOrDefault("metadata", Map.of());
    String name = String.valueOf(metadata.get("name"));
    Map<String, Object> spec = (Map<String, Object>) resource.get("spec");
    if (spec == null) {
      throw new AssertionError(where + ": WasmPlugin " + name + " has no spec");
    }
    for (String key : spec.keySet()) {
      if (!SPEC_FIELDS.contains(key)) {
        throw new AssertionError(
            where + ": WasmPlugin " + name + " uses spec." + key + ", which the CRD does not have");
      }
    }
    List<Object> rules = (List<Object>) spec.getOrDefault("matchRules", List.of());
    for (int i = 0; i < rules.size(); i++) {
      Map<String, Object> rule = (Map<String, Object>) rules.get(i);
      for (String key : rule.keySet()) {
        if (!RULE_FIELDS.contains(key)) {
          throw new AssertionError(
              where
                  + ": WasmPlugin "
                  + name
                  + " uses matchRules["
                  + i
                  + "]."
                  + key
                  + ", which the CRD does not have");
        }
      }
      if (!rule.containsKey("ingress")
          && !rule.containsKey("domain")
          && !rule.containsKey("service")) {
        throw new AssertionError(
            where
                + ": WasmPlugin "
                + name
                + " matchRules["
                + i
                + "] has no ingress, domain or service (Higress rejects it)");
      }
    }
    return new WasmPluginExample(name, spec, JsonText.of(pluginConfiguration(spec)));
  }

  @SuppressWarnings("unchecked")
  static Object pluginConfiguration(Map<String, Object> spec) {
    if (spec.containsKey("pluginConfig")) {
      return spec.get("pluginConfig");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (!Boolean.TRUE.equals(spec.get("defaultConfigDisable"))
        && spec.get("defaultConfig") instanceof Map<?, ?> defaults) {
      out.putAll((Map<String, Object>) defaults);
    }
    List<Object> rules = new ArrayList<>();
    for (Object o : (List<Object>) spec.getOrDefault("matchRules", List.of())) {
      Map<String, Object> rule = (Map<String, Object>) o;
      if (Boolean.TRUE.equals(rule.get("configDisable"))) {
        continue;
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      if (rule.get("config") instanceof Map<?, ?> config) {
        entry.putAll((Map<String, Object>) config);
      }
      if (rule.containsKey("ingress")) {
        entry.put("_match_route_", rule.get("ingress"));
      }
      if (rule.containsKey("service")) {
        entry.put("_match_service_", rule.get("service"));
      }
      if (rule.containsKey("domain")) {
        entry.put("_match_domain_", rule.get("domain"));
      }
      rules.add(entry);
    }
    if (!rules.isEmpty()) {
      out.put("_rules_", rules);
    }
    return out;
  }
}

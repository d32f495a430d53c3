package io.rustless.cli.gateway.higress;

import io.rustless.cli.gateway.resource.KubeObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code spec} of a Higress {@code WasmPlugin} ({@code extensions.higress.io/v1alpha1}), with
 * the field names, types and defaults of {@code api/extensions/v1alpha1/wasmplugin.proto} and the
 * CRD's schema. Config objects ({@code pluginConfig}, {@code defaultConfig}, {@code
 * matchRules[].config}) are kept as read: JSON-like maps.
 *
 * @param priority empty when not set (the proto's nullable {@code Int32Value})
 */
public record WasmPluginSpec(
    String url,
    String sha256,
    PullPolicy imagePullPolicy,
    String imagePullSecret,
    String verificationKey,
    Optional<Map<String, Object>> pluginConfig,
    String pluginName,
    PluginPhase phase,
    Optional<Integer> priority,
    FailStrategy failStrategy,
    List<EnvVar> vmEnv,
    Optional<Map<String, Object>> defaultConfig,
    boolean defaultConfigDisable,
    List<MatchRule> matchRules) {

  private static final Set<String> SPEC_FIELDS =
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
  private static final Set<String> RULE_FIELDS =
      Set.of("ingress", "domain", "service", "config", "configDisable", "routeType");
  private static final Set<String> ENV_FIELDS = Set.of("name", "value", "valueFrom");

  public WasmPluginSpec {
    vmEnv = List.copyOf(vmEnv);
    matchRules = List.copyOf(matchRules);
  }

  /** {@code spec.vmConfig.env[]}: INLINE takes {@code value}; HOST reads the gateway's variable. */
  public record EnvVar(String name, String value, EnvValueSource valueFrom) {}

  /** {@code spec.vmConfig.env[].valueFrom}. */
  public enum EnvValueSource {
    INLINE,
    HOST
  }

  /** {@code spec.matchRules[]}. */
  public record MatchRule(
      List<String> ingress,
      List<String> domain,
      List<String> service,
      Optional<Map<String, Object>> config,
      boolean configDisable,
      RouteType routeType) {
    public MatchRule {
      ingress = List.copyOf(ingress);
      domain = List.copyOf(domain);
      service = List.copyOf(service);
    }
  }

  /**
   * Reads {@code plugin}'s spec; an {@link InvalidResourceException} listing every field the API
   * server would refuse.
   */
  public static WasmPluginSpec read(KubeObject plugin) {
    FieldReader r = new FieldReader();
    if (plugin.hasMalformedSpec()) {
      r.error("spec", "Invalid value: must be of type object");
      throw new InvalidResourceException(plugin.describe(), r.errors());
    }
    Map<String, Object> spec = plugin.spec();
    r.unknownFields(spec, "spec", SPEC_FIELDS);
    List<EnvVar> env = new ArrayList<>();
    Optional<Map<String, Object>> vm = r.object(spec, "spec", "vmConfig");
    if (vm.isPresent()) {
      r.unknownFields(vm.get(), "spec.vmConfig", Set.of("env"));
      List<Map<String, Object>> vars = r.objects(vm.get(), "spec.vmConfig", "env");
      for (int i = 0; i < vars.size(); i++) {
        String path = "spec.vmConfig.env[" + i + "]";
        Map<String, Object> v = vars.get(i);
        r.unknownFields(v, path, ENV_FIELDS);
        env.add(
            new EnvVar(
                r.string(v, path, "name"),
                r.string(v, path, "value"),
                r.enumValue(v, path, "valueFrom", EnvValueSource.INLINE)));
      }
    }
    List<MatchRule> rules = new ArrayList<>();
    List<Map<String, Object>> ruleObjects = r.objects(spec, "spec", "matchRules");
    for (int i = 0; i < ruleObjects.size(); i++) {
      String path = "spec.matchRules[" + i + "]";
      Map<String, Object> m = ruleObjects.get(i);
      r.unknownFields(m, path, RULE_FIELDS);
      rules.add(
          new MatchRule(
              r.strings(m, path, "ingress"),
              r.strings(m, path, "domain"),
              r.strings(m, path, "service"),
              r.object(m, path, "config"),
              r.bool(m, path, "configDisable"),
              r.enumValue(m, path, "routeType", RouteType.HTTP)));
    }
    WasmPluginSpec result =
        new WasmPluginSpec(
            r.string(spec, "spec", "url"),
            r.string(spec, "spec", "sha256"),
            r.enumValue(spec, "spec", "imagePullPolicy", PullPolicy.UNSPECIFIED_POLICY),
            r.string(spec, "spec", "imagePullSecret"),
            r.string(spec, "spec", "verificationKey"),
            r.object(spec, "spec", "pluginConfig"),
            r.string(spec, "spec", "pluginName"),
            r.enumValue(spec, "spec", "phase", PluginPhase.UNSPECIFIED_PHASE),
            r.int32(spec, "spec", "priority"),
            r.enumValue(spec, "spec", "failStrategy", FailStrategy.FAIL_CLOSE),
            env,
            r.object(spec, "spec", "defaultConfig"),
            r.bool(spec, "spec", "defaultConfigDisable"),
            rules);
    if (!r.errors().isEmpty()) {
      throw new InvalidResourceException(plugin.describe(), r.errors());
    }
    return result;
  }
}

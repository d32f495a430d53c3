package io.rustless.cli.gateway.higress;

import io.rustless.cli.gateway.resource.KubeObject;
import io.rustless.cli.oci.Blob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of Higress's controller that turns a {@code WasmPlugin} into what the gateway loads, as
 * a pure function. Every rule here is read from alibaba/higress {@code
 * pkg/ingress/config/ingress_config.go} (@ 4e0d6914) and higress-group/istio {@code
 * pilot/pkg/model/extensions.go}; line numbers are those files'.
 *
 * <ul>
 *   <li>Only WasmPlugins in the controller's namespace are used ({@code AddOrUpdateWasmPlugin},
 *       line 1152).
 *   <li>{@code pluginConfig}, when set, is the configuration as it is; {@code defaultConfig} and
 *       {@code matchRules} are then ignored (lines 1027–1029).
 *   <li>Otherwise the configuration is {@code defaultConfig} unless {@code defaultConfigDisable}
 *       (1030–1032), and, if there are match rules, an empty object when there is no default, plus
 *       {@code _rules_} (1034–1140): one entry per rule not {@code configDisable}d, its {@code
 *       config} with {@code _match_route_} (the {@code ingress} list), {@code _match_service_}
 *       ({@code service}) and {@code _match_domain_} ({@code domain}) added when not empty.
 *   <li>A rule with none of the three fails the whole WasmPlugin: "invalid match rule has no match
 *       condition" (1127); the gateway keeps what it had (the controller logs and returns,
 *       1172–1176).
 *   <li>No valid rule and {@code defaultConfigDisable}: no plugin at all (1141–1143, 1177–1183).
 *   <li>A {@code routeType} other than HTTP replaces each {@code ingress} entry by the route type's
 *       name, {@code path.Join("GRPC")} (1059–1067): the ingress name is lost. Reproduced, with a
 *       note.
 *   <li>An empty configuration object reaches the plugin as no configuration at all ({@code
 *       extensions.go} 139–149).
 * </ul>
 */
public final class HigressController {
  private HigressController() {}

  /** What became of one WasmPlugin. */
  public sealed interface Translation {
    /** The WasmPlugin it came from. */
    KubeObject source();
  }

  /** Loaded as {@code deployment}. */
  public record Deployed(KubeObject source, PluginDeployment deployment) implements Translation {}

  /** No plugin: {@code defaultConfigDisable} and no rule left. */
  public record Disabled(KubeObject source) implements Translation {}

  /** Not used: outside the controller's namespace. */
  public record Ignored(KubeObject source, String why) implements Translation {}

  /**
   * Translates {@code wasmPlugin} for a controller in {@code controllerNamespace}; an {@link
   * InvalidResourceException} if the API server would refuse it or the controller cannot translate
   * it.
   */
  public static Translation translate(KubeObject wasmPlugin, String controllerNamespace) {
    Objects.requireNonNull(controllerNamespace);
    if (!wasmPlugin.namespace().equals(controllerNamespace)) {
      return new Ignored(
          wasmPlugin,
          "it is in namespace "
              + wasmPlugin.namespace()
              + "; Higress uses only WasmPlugins in its own namespace, "
              + controllerNamespace);
    }
    WasmPluginSpec spec = WasmPluginSpec.read(wasmPlugin);
    List<String> notes = new ArrayList<>();
    Optional<Map<String, Object>> config = configuration(spec, wasmPlugin, notes);
    if (config == null) {
      return new Disabled(wasmPlugin);
    }
    if (!spec.verificationKey().isEmpty()) {
      notes.add("spec.verificationKey is not checked (Istio does not read it either)");
    }
    String json = config.filter(m -> !m.isEmpty()).map(StructJson::write).orElse("");
    return new Deployed(
        wasmPlugin,
        new PluginDeployment(
            wasmPlugin.namespace(),
            wasmPlugin.name(),
            spec.url(),
            spec.sha256(),
            spec.imagePullPolicy(),
            spec.imagePullSecret(),
            spec.pluginName(),
            spec.phase(),
            spec.priority(),
            spec.failStrategy(),
            spec.vmEnv(),
            json,
            resourceVersion(wasmPlugin),
            notes));
  }

  /**
   * The object's resource version; for an object from a file, which has none, a hash of its
   * content, so that it too changes with every edit (pull policy Always depends on it).
   */
  static String resourceVersion(KubeObject o) {
    if (!o.resourceVersion().isEmpty()) {
      return o.resourceVersion();
    }
    return "content-"
        + Blob.sha256Hex(StructJson.write(o.body()).getBytes(StandardCharsets.UTF_8))
            .substring(0, 16);
  }

  /**
   * The plugin configuration ({@code convertIstioWasmPlugin}); empty for none, {@code null} if the
   * controller emits no plugin.
   */
  private static Optional<Map<String, Object>> configuration(
      WasmPluginSpec spec, KubeObject source, List<String> notes) {
    if (spec.pluginConfig().isPresent()) {
      if (spec.defaultConfig().isPresent() || !spec.matchRules().isEmpty()) {
        notes.add(
            "spec.pluginConfig is set, so spec.defaultConfig and spec.matchRules are ignored (as"
                + " Higress does)");
      }
      return spec.pluginConfig();
    }
    Map<String, Object> config =
        spec.defaultConfigDisable()
            ? null
            : spec.defaultConfig().map(LinkedHashMap::new).orElse(null);
    boolean hasValidRule = false;
    if (!spec.matchRules().isEmpty()) {
      if (config == null) {
        config = new LinkedHashMap<>();
      }
      List<Object> rules = new ArrayList<>();
      for (int i = 0; i < spec.matchRules().size(); i++) {
        WasmPluginSpec.MatchRule rule = spec.matchRules().get(i);
        if (rule.configDisable()) {
          continue;
        }
        Map<String, Object> entry = new LinkedHashMap<>(rule.config().orElse(Map.of()));
        boolean valid = false;
        if (!rule.ingress().isEmpty()) {
          List<String> routes = rule.ingress();
          if (rule.routeType() != RouteType.HTTP) {
            routes = routes.stream().map(r -> rule.routeType().name()).toList();
            notes.add(
                "spec.matchRules["
                    + i
                    + "].routeType is "
                    + rule.routeType()
                    + ": Higress's controller replaces each ingress name by \""
                    + rule.routeType()
                    + "\", so _match_route_ names no Ingress (ingress_config.go 1059-1067)");
          }
          entry.put("_match_route_", List.copyOf(routes));
          valid = true;
        }
        if (!rule.service().isEmpty()) {
          entry.put("_match_service_", rule.service());
          valid = true;
        }
        if (!rule.domain().isEmpty()) {
          entry.put("_match_domain_", rule.domain());
          valid = true;
        }
        if (!valid) {
          throw new InvalidResourceException(
              source.describe(),
              List.of(
                  "invalid match rule has no match condition, rule:spec.matchRules["
                      + i
                      + "] (give it ingress, domain or service)"));
        }
        rules.add(entry);
      }
      if (!rules.isEmpty()) {
        hasValidRule = true;
        config.put("_rules_", rules);
      }
    }
    if (!hasValidRule && spec.defaultConfigDisable()) {
      return null;
    }
    return Optional.ofNullable(config);
  }
}

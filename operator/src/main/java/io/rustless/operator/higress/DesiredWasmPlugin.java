package io.rustless.operator.higress;

import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.WasmPluginSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The spec of the WasmPlugin a source asks for, as Higress will read it. Pure; the url is added
 * once a build has produced an image.
 */
public final class DesiredWasmPlugin {

  private DesiredWasmPlugin() {}

  /**
   * {@code settings} as a WasmPlugin spec without url. Ingress entries become Higress route names:
   * a bare name means an Ingress of the source's own namespace, written {@code ns/name} (Higress
   * names routes of Ingresses outside its own namespace that way, and a bare name there would mean
   * one of the gateway's namespace).
   */
  public static WasmPluginSpec spec(
      WasmPluginSettings settings, String sourceNamespace, String gatewayNamespace) {
    var s = Optional.ofNullable(settings).orElseGet(WasmPluginSettings::new);
    var spec = new WasmPluginSpec();
    spec.setImagePullPolicy(s.getImagePullPolicy());
    spec.setImagePullSecret(s.getImagePullSecret());
    spec.setPhase(s.getPhase());
    spec.setPriority(s.getPriority());
    spec.setFailStrategy(s.getFailStrategy());
    spec.setDefaultConfig(s.getDefaultConfig());
    spec.setDefaultConfigDisable(s.getDefaultConfigDisable());
    spec.setMatchRules(rules(s.getMatchRules(), sourceNamespace, gatewayNamespace));
    return spec;
  }

  /** A copy of {@code spec} serving {@code image} ({@code registry/repo@sha256:…}). */
  public static WasmPluginSpec withImage(WasmPluginSpec spec, String image) {
    var copy = new WasmPluginSpec();
    copy.setUrl("oci://" + image);
    copy.setImagePullPolicy(spec.getImagePullPolicy());
    copy.setImagePullSecret(spec.getImagePullSecret());
    copy.setPhase(spec.getPhase());
    copy.setPriority(spec.getPriority());
    copy.setFailStrategy(spec.getFailStrategy());
    copy.setDefaultConfig(spec.getDefaultConfig());
    copy.setDefaultConfigDisable(spec.getDefaultConfigDisable());
    copy.setMatchRules(spec.getMatchRules());
    return copy;
  }

  /** The Higress route name of an ingress entry of a source's match rule. */
  public static String routeName(String entry, String sourceNamespace, String gatewayNamespace) {
    if (entry.contains("/") || sourceNamespace.equals(gatewayNamespace)) {
      return entry;
    }
    return sourceNamespace + "/" + entry;
  }

  private static List<MatchRule> rules(
      List<MatchRule> rules, String sourceNamespace, String gatewayNamespace) {
    if (rules == null) {
      return null;
    }
    var copy = new ArrayList<MatchRule>(rules.size());
    for (MatchRule r : rules) {
      List<String> ingress =
          r.getIngress() == null
              ? null
              : r.getIngress().stream()
                  .map(i -> routeName(i, sourceNamespace, gatewayNamespace))
                  .toList();
      copy.add(
          new MatchRule(
              ingress, r.getDomain(), r.getService(), r.getConfig(), r.getConfigDisable()));
    }
    return copy;
  }
}

package io.rustless.operator.dependent;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericKubernetesResourceMatcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.rustless.operator.Names;
import io.rustless.operator.build.BuildOutput;
import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.WasmPluginSettings;
import io.rustless.operator.higress.WasmPlugin;
import io.rustless.operator.higress.WasmPluginSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Higress WasmPlugin of a source. It lives in the Higress namespace, so no owner reference:
 * JOSDK maps it back to its source through annotations, and the reconciler's cleanup (behind a
 * finalizer) deletes it.
 */
public final class WasmPluginDependent
    extends KubernetesDependentResource<WasmPlugin, RustlessWasmPluginSource>
    implements Creator<WasmPlugin, RustlessWasmPluginSource>,
        Updater<WasmPlugin, RustlessWasmPluginSource> {

  public static final String NAME = "wasmplugin";

  public WasmPluginDependent(Set<String> namespaces) {
    super(WasmPlugin.class, NAME);
    configureWith(
        new KubernetesDependentResourceConfigBuilder<WasmPlugin>()
            .withKubernetesDependentInformerConfig(
                InformerConfiguration.builder(WasmPlugin.class)
                    .withNamespaces(namespaces)
                    .withLabelSelector(Names.MANAGED_SELECTOR)
                    .build())
            .build());
  }

  @Override
  protected WasmPlugin desired(
      RustlessWasmPluginSource primary, Context<RustlessWasmPluginSource> context) {
    var request =
        context
            .managedWorkflowAndDependentResourceContext()
            .getMandatory(PublishRequest.KEY, PublishRequest.class);
    return desired(primary, request.image());
  }

  /** The WasmPlugin for a source serving an image: what tests compare the cluster against. */
  public static WasmPlugin desired(RustlessWasmPluginSource primary, String image) {
    var settings =
        Optional.ofNullable(primary.getSpec().getWasmPlugin()).orElseGet(WasmPluginSettings::new);
    var spec = new WasmPluginSpec();
    spec.setUrl(BuildOutput.wasmPluginUrl(image));
    spec.setImagePullPolicy(settings.getImagePullPolicy());
    spec.setImagePullSecret(settings.getImagePullSecret());
    spec.setPhase(settings.getPhase());
    spec.setPriority(settings.getPriority());
    spec.setFailStrategy(settings.getFailStrategy());
    spec.setDefaultConfig(settings.getDefaultConfig());
    spec.setDefaultConfigDisable(settings.getDefaultConfigDisable());
    spec.setMatchRules(copyRules(settings.getMatchRules()));
    var plugin = new WasmPlugin();
    plugin.setMetadata(
        new ObjectMetaBuilder()
            .withName(Names.wasmPluginName(primary))
            .withNamespace(Names.wasmPluginNamespace(primary))
            .withLabels(
                Map.of(
                    Names.MANAGED_BY_LABEL,
                    Names.OPERATOR,
                    Names.SOURCE_LABEL,
                    Names.sourceLabel(primary)))
            .build());
    plugin.setSpec(spec);
    return plugin;
  }

  private static List<MatchRule> copyRules(List<MatchRule> rules) {
    if (rules == null) {
      return null;
    }
    var copy = new ArrayList<MatchRule>(rules.size());
    for (MatchRule r : rules) {
      copy.add(
          new MatchRule(
              r.getIngress(), r.getDomain(), r.getService(), r.getConfig(), r.getConfigDisable()));
    }
    return copy;
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      RustlessWasmPluginSource primary, Context<RustlessWasmPluginSource> context) {
    return new ResourceID(Names.wasmPluginName(primary), Names.wasmPluginNamespace(primary));
  }

  /**
   * Without SSA, compare the whole spec: the default matcher ignores fields present only in the
   * cluster, so a config key removed from the source would never be removed from the WasmPlugin.
   * (Nothing else writes this spec; Higress does not default it.)
   */
  @Override
  public Matcher.Result<WasmPlugin> match(
      WasmPlugin actual,
      WasmPlugin desired,
      RustlessWasmPluginSource primary,
      Context<RustlessWasmPluginSource> context) {
    if (useSSA(context)) {
      return super.match(actual, desired, primary, context);
    }
    addMetadata(true, actual, desired, primary, context);
    return GenericKubernetesResourceMatcher.match(desired, actual, false, true, context);
  }
}

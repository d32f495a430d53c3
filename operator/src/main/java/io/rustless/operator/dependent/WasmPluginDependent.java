package io.rustless.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericResourceUpdater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.rustless.operator.Names;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.higress.WasmPlugin;
import io.rustless.operator.higress.WasmPluginSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Higress WasmPlugin of a source. It lives in the gateway's namespace, so the source cannot own
 * it: JOSDK maps it back through annotations, the reconciler deletes it when the source goes (and
 * the orphan sweep when that was missed), and the chart's cluster-scoped anchor owns it so that
 * uninstalling the chart garbage-collects it. Created and updated with optimistic locking (no
 * server-side apply): a concurrent change gives a 409 and the reconcile is retried.
 */
public final class WasmPluginDependent
    extends KubernetesDependentResource<WasmPlugin, RustlessWasmPluginSource>
    implements Creator<WasmPlugin, RustlessWasmPluginSource>,
        Updater<WasmPlugin, RustlessWasmPluginSource> {

  public static final String NAME = "wasmplugin";

  public WasmPluginDependent(Set<String> namespaces, String instance) {
    super(WasmPlugin.class, NAME);
    configureWith(
        new KubernetesDependentResourceConfigBuilder<WasmPlugin>()
            .withKubernetesDependentInformerConfig(
                InformerConfiguration.builder(WasmPlugin.class)
                    .withNamespaces(namespaces)
                    .withLabelSelector(Names.wasmPluginSelector(instance))
                    .build())
            .build());
  }

  /**
   * The WasmPlugin object for a source: {@code spec} (with url) at {@code target}, labelled with
   * the source and the installation, owned by {@code anchor} when there is one.
   */
  public static WasmPlugin desired(
      RustlessWasmPluginSource source,
      String namespace,
      WasmPluginSpec spec,
      String instance,
      Optional<OwnerReference> anchor) {
    var meta =
        new ObjectMetaBuilder()
            .withName(Names.wasmPluginName(source))
            .withNamespace(namespace)
            .withLabels(
                Map.of(
                    Names.MANAGED_BY_LABEL,
                    Names.OPERATOR,
                    Names.INSTANCE_LABEL,
                    instance,
                    Names.SOURCE_LABEL,
                    Names.sourceLabel(source),
                    Names.SOURCE_NAMESPACE_LABEL,
                    source.getMetadata().getNamespace()))
            .withOwnerReferences(anchor.map(List::of).orElse(List.of()))
            .build();
    var plugin = new WasmPlugin();
    plugin.setMetadata(meta);
    plugin.setSpec(spec);
    return plugin;
  }

  @Override
  protected WasmPlugin desired(
      RustlessWasmPluginSource primary, Context<RustlessWasmPluginSource> context) {
    WasmPlugin d = request(context).desired();
    var copy = new WasmPlugin();
    copy.setMetadata(new ObjectMetaBuilder(d.getMetadata()).build());
    copy.setSpec(d.getSpec());
    return copy;
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      RustlessWasmPluginSource primary, Context<RustlessWasmPluginSource> context) {
    return ResourceID.fromResource(request(context).desired());
  }

  /**
   * The whole spec must be equal (a config key removed from the source disappears from the
   * WasmPlugin too; nothing else writes this spec and Higress does not default it), and the desired
   * labels, annotations and owner references present.
   */
  @Override
  public Matcher.Result<WasmPlugin> match(
      WasmPlugin actual,
      WasmPlugin desired,
      RustlessWasmPluginSource primary,
      Context<RustlessWasmPluginSource> context) {
    addMetadata(true, actual, desired, primary, context);
    boolean matches =
        Objects.equals(actual.getSpec(), desired.getSpec())
            && contains(actual.getMetadata().getLabels(), desired.getMetadata().getLabels())
            && contains(
                actual.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations())
            && owners(actual).containsAll(owners(desired));
    return Matcher.Result.computed(matches, desired);
  }

  /** Replaces the spec, merges labels and annotations, adds missing owner references. */
  @Override
  public WasmPlugin update(
      WasmPlugin actual,
      WasmPlugin desired,
      RustlessWasmPluginSource primary,
      Context<RustlessWasmPluginSource> context) {
    addMetadata(false, actual, desired, primary, context);
    WasmPlugin updated = GenericResourceUpdater.updateResource(actual, desired, context);
    ObjectMeta meta = updated.getMetadata();
    var refs =
        new ArrayList<>(
            meta.getOwnerReferences() == null
                ? List.<OwnerReference>of()
                : meta.getOwnerReferences());
    for (OwnerReference wanted : desired.getMetadata().getOwnerReferences()) {
      if (refs.stream().noneMatch(r -> Objects.equals(r.getUid(), wanted.getUid()))) {
        refs.add(wanted);
      }
    }
    meta.setOwnerReferences(refs);
    return context.getClient().resource(updated).update();
  }

  private static boolean contains(Map<String, String> actual, Map<String, String> desired) {
    var a = actual == null ? Map.<String, String>of() : actual;
    return desired == null || new HashMap<>(a).entrySet().containsAll(desired.entrySet());
  }

  private static Set<String> owners(HasMetadata r) {
    var refs = r.getMetadata().getOwnerReferences();
    return refs == null
        ? Set.of()
        : Set.copyOf(refs.stream().map(OwnerReference::getUid).filter(Objects::nonNull).toList());
  }

  private static PublishRequest request(Context<RustlessWasmPluginSource> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(PublishRequest.KEY, PublishRequest.class);
  }
}

package io.rustless.operator.reconciler;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelectorBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.rustless.operator.Names;
import io.rustless.operator.build.BuildJobs;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.WasmPluginReference;
import io.rustless.operator.dependent.BuildJobDependent;
import io.rustless.operator.higress.WasmPlugin;
import io.rustless.operator.higress.WasmPluginSchema;
import io.rustless.operator.policy.RustlessPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the operator knows of the cluster around one source, read from its informers' caches (no API
 * calls): the source's own build Jobs and their pods, its WasmPlugins, the policies and the
 * cluster's WasmPlugin CRD. Also builds the informers that feed it.
 */
public final class SourceWorld {

  static final String PODS = "build-pods";
  static final String POLICIES = "policies";
  static final String WASMPLUGIN_CRD = "wasmplugin-crd";

  private SourceWorld() {}

  /** One source's view. */
  public record View(
      Set<Job> jobs,
      Set<Pod> pods,
      Set<WasmPlugin> wasmPlugins,
      List<RustlessPolicy> policies,
      Optional<WasmPluginSchema> schema) {

    public Optional<WasmPlugin> wasmPlugin(WasmPluginReference ref) {
      return wasmPlugins.stream()
          .filter(
              w ->
                  ref.getName().equals(w.getMetadata().getName())
                      && ref.getNamespace().equals(w.getMetadata().getNamespace()))
          .findFirst();
    }
  }

  public static View of(RustlessWasmPluginSource source, Context<RustlessWasmPluginSource> ctx) {
    var retriever = ctx.eventSourceRetriever();
    // Owner references match by name; only a Job whose owner is this source's uid counts.
    Set<Job> jobs =
        ctx.getSecondaryResources(Job.class).stream()
            .filter(j -> BuildJobs.ownedBy(j, source))
            .collect(Collectors.toUnmodifiableSet());
    // The pods of those Jobs, read from the pod cache by owner uid rather than through the event
    // source's index: the index maps a pod to its source through the Job cache, so a pod listed
    // before its Job (both informers start together when the operator starts) is indexed to
    // nothing, and a build that finished while the operator was down would wait for a pod event
    // that never comes.
    @SuppressWarnings("unchecked")
    var podCache =
        (InformerEventSource<Pod, RustlessWasmPluginSource>)
            retriever.getEventSourceFor(Pod.class, PODS);
    Set<Pod> pods =
        jobs.isEmpty()
            ? Set.of()
            : podCache
                .list(
                    source.getMetadata().getNamespace(),
                    pod -> jobs.stream().anyMatch(job -> BuildJobs.ownedBy(pod, job)))
                .collect(Collectors.toUnmodifiableSet());
    var policies =
        ((InformerEventSource<RustlessPolicy, RustlessWasmPluginSource>)
                retriever.getEventSourceFor(RustlessPolicy.class, POLICIES))
            .list(p -> true)
            .toList();
    var crd =
        ((InformerEventSource<CustomResourceDefinition, RustlessWasmPluginSource>)
                retriever.getEventSourceFor(CustomResourceDefinition.class, WASMPLUGIN_CRD))
            .get(new ResourceID(WasmPluginSchema.CRD_NAME))
            .flatMap(WasmPluginSchema::from);
    return new View(jobs, pods, ctx.getSecondaryResources(WasmPlugin.class), policies, crd);
  }

  /** Sources whose build Job runs now, over all namespaces: what holds the build slots. */
  public static Set<ResourceID> runningBuilds(BuildJobDependent buildJob) {
    return buildJob
        .eventSource()
        .orElseThrow()
        .list(j -> true)
        .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
        .filter(j -> BuildJobs.phase(j) == BuildJobs.Phase.RUNNING)
        .map(SourceWorld::owningSource)
        .flatMap(Optional::stream)
        .collect(Collectors.toSet());
  }

  static Optional<ResourceID> owningSource(Job job) {
    var refs = job.getMetadata().getOwnerReferences();
    if (refs == null) {
      return Optional.empty();
    }
    return refs.stream()
        .filter(r -> RustlessWasmPluginSource.KIND.equals(r.getKind()))
        .map(OwnerReference::getName)
        .filter(Objects::nonNull)
        .findFirst()
        .map(name -> new ResourceID(name, job.getMetadata().getNamespace()));
  }

  /**
   * Build pods, mapped to their source through the Job that owns them (owner reference, same
   * namespace). A pod no such Job owns maps to nothing, whatever its labels say.
   */
  static InformerEventSource<Pod, RustlessWasmPluginSource> pods(
      EventSourceContext<RustlessWasmPluginSource> context,
      InformerEventSource<Job, RustlessWasmPluginSource> jobs) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, RustlessWasmPluginSource.class)
            .withName(PODS)
            .withLabelSelector(Names.BUILD_SELECTOR)
            .withSecondaryToPrimaryMapper(
                pod -> {
                  var refs = pod.getMetadata().getOwnerReferences();
                  if (refs == null) {
                    return Set.of();
                  }
                  return refs.stream()
                      .filter(r -> "Job".equals(r.getKind()))
                      .map(
                          r ->
                              jobs.get(
                                  new ResourceID(r.getName(), pod.getMetadata().getNamespace())))
                      .flatMap(Optional::stream)
                      .filter(job -> BuildJobs.ownedBy(pod, job))
                      .map(SourceWorld::owningSource)
                      .flatMap(Optional::stream)
                      .collect(Collectors.toSet());
                })
            .build(),
        context);
  }

  /** The RustlessPolicies; any change reconciles every source. */
  static InformerEventSource<RustlessPolicy, RustlessWasmPluginSource> policies(
      EventSourceContext<RustlessWasmPluginSource> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(RustlessPolicy.class, RustlessWasmPluginSource.class)
            .withName(POLICIES)
            .withWatchAllNamespaces()
            .withFollowControllerNamespacesChanges(false)
            .withSecondaryToPrimaryMapper(p -> allSources(context))
            .withPrimaryToSecondaryMapper(p -> Set.of())
            .build(),
        context);
  }

  /** The cluster's WasmPlugin CRD, watched by name; a change (a Higress upgrade) reconciles all. */
  static InformerEventSource<CustomResourceDefinition, RustlessWasmPluginSource> wasmPluginCrd(
      EventSourceContext<RustlessWasmPluginSource> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(
                CustomResourceDefinition.class, RustlessWasmPluginSource.class)
            .withName(WASMPLUGIN_CRD)
            .withWatchAllNamespaces()
            .withFollowControllerNamespacesChanges(false)
            .withFieldSelector(
                new FieldSelectorBuilder()
                    .withField("metadata.name", WasmPluginSchema.CRD_NAME)
                    .build())
            .withSecondaryToPrimaryMapper(c -> allSources(context))
            .withPrimaryToSecondaryMapper(p -> Set.of())
            .build(),
        context);
  }

  private static Set<ResourceID> allSources(EventSourceContext<RustlessWasmPluginSource> context) {
    return context
        .getPrimaryCache()
        .list()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}

package io.rustless.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.rustless.operator.build.Backoff;
import io.rustless.operator.build.BuildInputs;
import io.rustless.operator.build.BuildJobs;
import io.rustless.operator.build.BuildState;
import io.rustless.operator.build.BuildTracker;
import io.rustless.operator.build.SourceRef;
import io.rustless.operator.customresource.BuildRecord;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.Reasons;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.RustlessWasmPluginSourceStatus;
import io.rustless.operator.customresource.WasmPluginReference;
import io.rustless.operator.dependent.BuildJobDependent;
import io.rustless.operator.dependent.BuildRequest;
import io.rustless.operator.dependent.PublishRequest;
import io.rustless.operator.dependent.WasmPluginDependent;
import io.rustless.operator.higress.WasmPlugin;
import io.rustless.operator.validation.Catalogue;
import io.rustless.operator.validation.CatalogueException;
import io.rustless.operator.validation.ConfigError;
import io.rustless.operator.validation.ConfigValidator;
import io.rustless.operator.validation.ExtensionSchema;
import io.rustless.operator.validation.InvalidSpecException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a {@link RustlessWasmPluginSource}: validate the config against the extension's
 * spec.yaml, build the image in a Job when the build key changed, then create or update the Higress
 * WasmPlugin at the built digest. Every outcome ends up in status conditions; an unchanged world
 * writes nothing.
 */
@ControllerConfiguration(
    name = RustlessWasmPluginSourceReconciler.NAME,
    finalizerName = Names.FINALIZER)
@GradualRetry(
    maxAttempts = 10,
    initialInterval = 500,
    intervalMultiplier = 2.0,
    maxInterval = 300_000)
public final class RustlessWasmPluginSourceReconciler
    implements Reconciler<RustlessWasmPluginSource>, Cleaner<RustlessWasmPluginSource> {

  public static final String NAME = "rustlesswasmpluginsource";
  static final String PODS_EVENT_SOURCE = "build-pods";

  private static final Logger log =
      LoggerFactory.getLogger(RustlessWasmPluginSourceReconciler.class);

  private final OperatorConfig config;
  private final Catalogue catalogue;
  private final ConfigValidator validator = new ConfigValidator();
  private final BuildTracker tracker;
  private final Clock clock;
  private final EventRecorder events;
  private final BuildMetrics metrics;
  private final BuildJobDependent buildJob = new BuildJobDependent();
  private final WasmPluginDependent wasmPlugin;

  public RustlessWasmPluginSourceReconciler(
      OperatorConfig config, Catalogue catalogue, Clock clock, MeterRegistry registry) {
    this.config = Objects.requireNonNull(config);
    this.catalogue = Objects.requireNonNull(catalogue);
    this.clock = Objects.requireNonNull(clock);
    this.tracker = new BuildTracker(new Backoff(config.buildRetryBase(), config.buildRetryMax()));
    this.events = new EventRecorder(clock);
    this.metrics = new BuildMetrics(registry);
    this.wasmPlugin = new WasmPluginDependent(config.wasmPluginNamespaces());
  }

  @Override
  public List<EventSource<?, RustlessWasmPluginSource>> prepareEventSources(
      EventSourceContext<RustlessWasmPluginSource> context) {
    var pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, RustlessWasmPluginSource.class)
                .withName(PODS_EVENT_SOURCE)
                .withLabelSelector(Names.BUILD_SELECTOR)
                .withSecondaryToPrimaryMapper(RustlessWasmPluginSourceReconciler::podToSource)
                .build(),
            context);
    return List.of(
        buildJob.eventSource(context).orElseThrow(),
        wasmPlugin.eventSource(context).orElseThrow(),
        pods);
  }

  /** Build pods carry their source in annotations copied from the Job template. */
  private static Set<ResourceID> podToSource(Pod pod) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    if (a == null || a.get(Names.SOURCE_NAME_ANNOTATION) == null) {
      return Set.of();
    }
    return Set.of(
        new ResourceID(
            a.get(Names.SOURCE_NAME_ANNOTATION),
            a.getOrDefault(Names.SOURCE_NAMESPACE_ANNOTATION, pod.getMetadata().getNamespace())));
  }

  @Override
  public UpdateControl<RustlessWasmPluginSource> reconcile(
      RustlessWasmPluginSource source, Context<RustlessWasmPluginSource> context) {
    Instant now = clock.instant();
    long generation = generation(source);
    var original = source.getStatus();
    var status = RustlessWasmPluginSourceStatus.copyOf(original);
    status.setObservedGeneration(generation);

    // 1. The spec and the config, before anything else.
    BuildInputs inputs;
    try {
      inputs = BuildInputs.from(source.getSpec(), config);
      checkTargetAndRules(source);
      validateConfig(source, inputs.source(), status, generation, now);
    } catch (InvalidSpecException e) {
      return invalid(source, status, e.reason(), e.getMessage(), generation, now, context);
    }

    // 2. The build for the current build key.
    status.setBuildKey(inputs.key().hex());
    Set<Job> jobs = context.getSecondaryResources(Job.class);
    Set<Pod> pods = podsOf(context);
    deleteObsoleteRunningJobs(jobs, inputs, context.getClient());
    BuildState state = tracker.decide(inputs.key(), generation, jobs, pods, status, now);
    Duration retryIn = applyBuildState(source, inputs, state, status, generation, now, context);
    pruneHistory(jobs, inputs, status, context.getClient());

    // 3. The WasmPlugin, only from a good build of the current key; otherwise the old one stays.
    publish(source, state, status, generation, now, context);
    summarize(status, generation, now);

    writeStatus(source, status, context);
    UpdateControl<RustlessWasmPluginSource> control = UpdateControl.noUpdate();
    return retryIn == null ? control : control.rescheduleAfter(retryIn);
  }

  private static long generation(RustlessWasmPluginSource source) {
    Long g = source.getMetadata().getGeneration();
    return g == null ? 0L : g;
  }

  private void checkTargetAndRules(RustlessWasmPluginSource source) {
    String namespace = Names.wasmPluginNamespace(source);
    if (!config.wasmPluginNamespaces().contains(namespace)) {
      throw new InvalidSpecException(
          Reasons.NAMESPACE_NOT_ALLOWED,
          "spec.wasmPlugin.namespace "
              + namespace
              + " is not one this operator writes WasmPlugins to ("
              + String.join(", ", config.wasmPluginNamespaces().stream().sorted().toList())
              + "); Higress reads WasmPlugins only from its own namespace");
    }
    var settings = source.getSpec().getWasmPlugin();
    List<MatchRule> rules =
        settings == null || settings.getMatchRules() == null ? List.of() : settings.getMatchRules();
    for (int i = 0; i < rules.size(); i++) {
      MatchRule r = rules.get(i);
      if (r == null || (empty(r.getIngress()) && empty(r.getDomain()) && empty(r.getService()))) {
        throw new InvalidSpecException(
            Reasons.INVALID_SPEC,
            "spec.wasmPlugin.matchRules["
                + i
                + "]: set at least one of ingress, domain or service");
      }
    }
  }

  private static boolean empty(List<String> list) {
    return list == null || list.isEmpty();
  }

  private void validateConfig(
      RustlessWasmPluginSource source,
      SourceRef ref,
      RustlessWasmPluginSourceStatus status,
      long generation,
      Instant now) {
    if (ref instanceof SourceRef.Git git) {
      Conditions.set(
          status,
          Conditions.CONFIG_VALID,
          Conditions.TRUE,
          Reasons.NO_SCHEMA,
          "git source "
              + git.repository()
              + ": its spec.yaml is known only after the build, so the config was not validated",
          generation,
          now);
      return;
    }
    String extension = ((SourceRef.Extension) ref).name();
    ExtensionSchema schema;
    try {
      schema =
          catalogue
              .find(extension)
              .orElseThrow(
                  () ->
                      new InvalidSpecException(
                          Reasons.UNKNOWN_EXTENSION,
                          "extension "
                              + extension
                              + " is not in this operator's catalogue (the extensions/*/spec.yaml it was built with)"));
    } catch (CatalogueException e) {
      throw new InvalidSpecException(Reasons.UNKNOWN_EXTENSION, e.getMessage());
    }
    List<ConfigError> errors = validator.validate(source.getSpec().getWasmPlugin(), schema);
    if (!errors.isEmpty()) {
      metrics.invalidConfig();
      throw new InvalidSpecException(
          Reasons.INVALID_CONFIG,
          errors.stream().map(ConfigError::toString).collect(Collectors.joining("; ")));
    }
    Conditions.set(
        status,
        Conditions.CONFIG_VALID,
        Conditions.TRUE,
        Reasons.VALID,
        "config matches the spec.yaml schema of " + extension,
        generation,
        now);
  }

  private UpdateControl<RustlessWasmPluginSource> invalid(
      RustlessWasmPluginSource source,
      RustlessWasmPluginSourceStatus status,
      String reason,
      String message,
      long generation,
      Instant now,
      Context<RustlessWasmPluginSource> context) {
    boolean changed =
        status
            .condition(Conditions.CONFIG_VALID)
            .map(c -> !Conditions.FALSE.equals(c.getStatus()) || !message.equals(c.getMessage()))
            .orElse(true);
    Conditions.set(
        status, Conditions.CONFIG_VALID, Conditions.FALSE, reason, message, generation, now);
    Conditions.set(
        status,
        Conditions.READY,
        Conditions.FALSE,
        reason,
        "nothing deployed for generation " + generation + ": " + message,
        generation,
        now);
    if (changed) {
      log.info(
          "source {}/{} is invalid: {}",
          source.getMetadata().getNamespace(),
          source.getMetadata().getName(),
          message);
      events.record(context.getClient(), source, EventRecorder.WARNING, reason, message);
    }
    writeStatus(source, status, context);
    return UpdateControl.noUpdate();
  }

  private static Set<Pod> podsOf(Context<RustlessWasmPluginSource> context) {
    return context
        .eventSourceRetriever()
        .getEventSourceFor(Pod.class, PODS_EVENT_SOURCE)
        .getSecondaryResources(context.getPrimaryResource());
  }

  /** Returns the delay before the next build attempt, or null when no retry is pending. */
  private Duration applyBuildState(
      RustlessWasmPluginSource source,
      BuildInputs inputs,
      BuildState state,
      RustlessWasmPluginSourceStatus status,
      long generation,
      Instant now,
      Context<RustlessWasmPluginSource> context) {
    if (state instanceof BuildState.UpToDate) {
      status.setDigest(status.getLastGoodDigest());
      status.setCurrentBuildJob(null);
      Conditions.set(
          status,
          Conditions.BUILT,
          Conditions.TRUE,
          Reasons.SUCCEEDED,
          "built " + status.getLastGoodImage(),
          generation,
          now);
      return null;
    } else if (state instanceof BuildState.Running r) {
      status.setDigest(null);
      status.setCurrentBuildJob(r.job());
      Conditions.set(
          status,
          Conditions.BUILT,
          Conditions.UNKNOWN,
          Reasons.BUILDING,
          "build Job " + r.job() + " (attempt " + r.attempt() + ") is running",
          generation,
          now);
      return null;
    } else if (state instanceof BuildState.Start s) {
      s.previousRecord().ifPresent(status::setLastBuild);
      String job = Names.buildJobName(source, inputs.key(), s.attempt());
      context
          .managedWorkflowAndDependentResourceContext()
          .put(BuildRequest.KEY, new BuildRequest(inputs, s.attempt(), job, config.buildUser()));
      buildJob.reconcile(source, context);
      metrics.started();
      log.info(
          "source {}/{}: started build Job {} (attempt {}, key {})",
          source.getMetadata().getNamespace(),
          source.getMetadata().getName(),
          job,
          s.attempt(),
          inputs.key().hex().substring(0, 12));
      status.setDigest(null);
      status.setCurrentBuildJob(job);
      Conditions.set(
          status,
          Conditions.BUILT,
          Conditions.UNKNOWN,
          Reasons.BUILDING,
          "build Job "
              + job
              + " (attempt "
              + s.attempt()
              + ") is running"
              + s.previous().map(f -> "; the previous attempt failed: " + f.reason()).orElse(""),
          generation,
          now);
      return null;
    } else if (state instanceof BuildState.Succeeded s) {
      var output = s.output();
      boolean first = !s.record().equals(status.getLastBuild());
      status.setLastBuild(s.record());
      status.setDigest(output.digest());
      status.setLastGoodDigest(output.digest());
      status.setLastGoodImage(output.image());
      status.setLastGoodBuildKey(inputs.key().hex());
      status.setCurrentBuildJob(null);
      Conditions.set(
          status,
          Conditions.BUILT,
          Conditions.TRUE,
          Reasons.SUCCEEDED,
          "built " + output.image(),
          generation,
          now);
      if (first) {
        metrics.succeeded();
        events.record(
            context.getClient(),
            source,
            EventRecorder.NORMAL,
            "Built",
            "build Job "
                + s.job()
                + " pushed "
                + output.image()
                + " ("
                + output.size()
                + " bytes of wasm)");
      }
      return null;
    } else if (state instanceof BuildState.Failed f) {
      boolean first = !f.record().equals(status.getLastBuild());
      status.setLastBuild(f.record());
      status.setDigest(null);
      status.setCurrentBuildJob(null);
      // A push the registry refused says nothing about the build: Published carries it.
      Conditions.set(
          status,
          Conditions.BUILT,
          pushFailed(state) ? Conditions.UNKNOWN : Conditions.FALSE,
          f.failure().reason(),
          f.failure().message(),
          generation,
          now);
      if (first) {
        metrics.failed();
        log.warn(
            "source {}/{}: build Job {} failed ({}); retry in {} or on a spec change",
            source.getMetadata().getNamespace(),
            source.getMetadata().getName(),
            f.job(),
            f.failure().reason(),
            f.retryIn());
        events.record(
            context.getClient(),
            source,
            EventRecorder.WARNING,
            f.failure().reason(),
            f.failure().message());
      }
      return f.retryIn();
    }
    throw new IllegalStateException("unknown build state " + state);
  }

  /** A running Job for a build key the spec no longer asks for only wastes a node: stop it. */
  private static void deleteObsoleteRunningJobs(
      Set<Job> jobs, BuildInputs inputs, KubernetesClient client) {
    jobs.stream()
        .filter(j -> !inputs.key().hex().equals(BuildJobs.buildKey(j)))
        .filter(j -> BuildJobs.phase(j) == BuildJobs.Phase.RUNNING)
        .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
        .forEach(
            j ->
                client
                    .resource(j)
                    .withPropagationPolicy(
                        io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                    .delete());
  }

  /** Keeps the newest N succeeded and M failed Jobs of the source, like CronJob history limits. */
  private static void pruneHistory(
      Set<Job> jobs,
      BuildInputs inputs,
      RustlessWasmPluginSourceStatus status,
      KubernetesClient client) {
    prune(jobs, BuildJobs.Phase.SUCCEEDED, inputs.successfulHistoryLimit(), status, client);
    prune(jobs, BuildJobs.Phase.FAILED, inputs.failedHistoryLimit(), status, client);
  }

  private static void prune(
      Set<Job> jobs,
      BuildJobs.Phase phase,
      int keep,
      RustlessWasmPluginSourceStatus status,
      KubernetesClient client) {
    String recorded =
        Optional.ofNullable(status.getLastBuild()).map(BuildRecord::getJob).orElse(null);
    var finished =
        jobs.stream()
            .filter(j -> BuildJobs.phase(j) == phase)
            .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
            .sorted(
                Comparator.comparing(
                        (Job j) ->
                            Optional.ofNullable(j.getMetadata().getCreationTimestamp()).orElse(""))
                    .thenComparing(BuildJobs::attempt)
                    .reversed())
            .toList();
    for (int i = keep; i < finished.size(); i++) {
      Job j = finished.get(i);
      if (j.getMetadata().getName().equals(recorded) && keep > 0) {
        continue;
      }
      client
          .resource(j)
          .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
          .delete();
    }
  }

  private void publish(
      RustlessWasmPluginSource source,
      BuildState state,
      RustlessWasmPluginSourceStatus status,
      long generation,
      Instant now,
      Context<RustlessWasmPluginSource> context) {
    var target =
        new WasmPluginReference(Names.wasmPluginNamespace(source), Names.wasmPluginName(source));
    boolean goodBuild =
        state instanceof BuildState.UpToDate || state instanceof BuildState.Succeeded;
    if (goodBuild && status.getLastGoodImage() != null) {
      context
          .managedWorkflowAndDependentResourceContext()
          .put(PublishRequest.KEY, new PublishRequest(status.getLastGoodImage()));
      if (foreignWasmPlugin(target, context)) {
        Conditions.set(
            status,
            Conditions.PUBLISHED,
            Conditions.FALSE,
            Reasons.WASMPLUGIN_NAME_TAKEN,
            "WasmPlugin "
                + target
                + " exists and is not managed by this operator (no label "
                + Names.MANAGED_SELECTOR
                + "); choose another spec.wasmPlugin.name or delete it",
            generation,
            now);
        return;
      }
      var result = wasmPlugin.reconcile(source, context);
      deleteStaleWasmPlugins(source, target, status, context);
      status.setWasmPlugin(target);
      if (result.getSingleOperation() != null) {
        log.info(
            "source {}/{}: {} WasmPlugin {} at {}",
            source.getMetadata().getNamespace(),
            source.getMetadata().getName(),
            result.getSingleOperation(),
            target,
            status.getLastGoodDigest());
      }
      Conditions.set(
          status,
          Conditions.PUBLISHED,
          Conditions.TRUE,
          Reasons.PUBLISHED,
          "WasmPlugin " + target + " serves " + status.getLastGoodDigest(),
          generation,
          now);
      return;
    }
    Optional<WasmPlugin> serving =
        Optional.ofNullable(status.getWasmPlugin()).flatMap(ref -> cachedWasmPlugin(ref, context));
    if (pushFailed(state)) {
      Conditions.set(
          status,
          Conditions.PUBLISHED,
          Conditions.FALSE,
          Reasons.PUSH_FAILED,
          ((BuildState.Failed) state).failure().message()
              + serving
                  .map(
                      w ->
                          "\nWasmPlugin "
                              + status.getWasmPlugin()
                              + " keeps serving "
                              + status.getLastGoodDigest())
                  .orElse(""),
          generation,
          now);
    } else if (serving.isPresent()) {
      Conditions.set(
          status,
          Conditions.PUBLISHED,
          Conditions.TRUE,
          Reasons.SERVING_PREVIOUS_BUILD,
          "WasmPlugin "
              + status.getWasmPlugin()
              + " keeps serving "
              + status.getLastGoodDigest()
              + " until the build for the current spec succeeds",
          generation,
          now);
    } else {
      Conditions.set(
          status,
          Conditions.PUBLISHED,
          Conditions.FALSE,
          Reasons.NOT_PUBLISHED,
          "no WasmPlugin yet: waiting for a successful build",
          generation,
          now);
    }
  }

  private static boolean pushFailed(BuildState state) {
    return state instanceof BuildState.Failed f && Reasons.PUSH_FAILED.equals(f.failure().reason());
  }

  /**
   * A WasmPlugin of that name that this operator does not manage (the informer only sees managed
   * ones): never overwrite it. One GET, only while the target is not in the cache.
   */
  private static boolean foreignWasmPlugin(
      WasmPluginReference target, Context<RustlessWasmPluginSource> context) {
    if (cachedWasmPlugin(target, context).isPresent()) {
      return false;
    }
    WasmPlugin existing =
        context
            .getClient()
            .resources(WasmPlugin.class)
            .inNamespace(target.getNamespace())
            .withName(target.getName())
            .get();
    if (existing == null) {
      return false;
    }
    var labels = existing.getMetadata().getLabels();
    return labels == null || !Names.OPERATOR.equals(labels.get(Names.MANAGED_BY_LABEL));
  }

  private static Optional<WasmPlugin> cachedWasmPlugin(
      WasmPluginReference ref, Context<RustlessWasmPluginSource> context) {
    return context.getSecondaryResources(WasmPlugin.class).stream()
        .filter(
            w ->
                ref.getName().equals(w.getMetadata().getName())
                    && ref.getNamespace().equals(w.getMetadata().getNamespace()))
        .findFirst();
  }

  /** After a rename (name or namespace), the old WasmPlugin must go: nothing else owns it. */
  private static void deleteStaleWasmPlugins(
      RustlessWasmPluginSource source,
      WasmPluginReference target,
      RustlessWasmPluginSourceStatus status,
      Context<RustlessWasmPluginSource> context) {
    var stale = new HashSet<WasmPluginReference>();
    context.getSecondaryResources(WasmPlugin.class).stream()
        .map(
            w -> new WasmPluginReference(w.getMetadata().getNamespace(), w.getMetadata().getName()))
        .forEach(stale::add);
    if (status.getWasmPlugin() != null) {
      stale.add(status.getWasmPlugin());
    }
    stale.remove(target);
    for (var ref : stale) {
      log.info(
          "source {}/{}: deleting WasmPlugin {} it no longer publishes to",
          source.getMetadata().getNamespace(),
          source.getMetadata().getName(),
          ref);
      deleteWasmPlugin(context.getClient(), ref);
    }
  }

  private static void deleteWasmPlugin(KubernetesClient client, WasmPluginReference ref) {
    client
        .resources(WasmPlugin.class)
        .inNamespace(ref.getNamespace())
        .withName(ref.getName())
        .delete();
  }

  private static void summarize(
      RustlessWasmPluginSourceStatus status, long generation, Instant now) {
    var built = status.condition(Conditions.BUILT).orElseThrow();
    var published = status.condition(Conditions.PUBLISHED).orElseThrow();
    if (Conditions.TRUE.equals(built.getStatus())
        && Reasons.PUBLISHED.equals(published.getReason())) {
      Conditions.set(
          status,
          Conditions.READY,
          Conditions.TRUE,
          Reasons.READY,
          published.getMessage(),
          generation,
          now);
    } else if (!Conditions.TRUE.equals(built.getStatus())) {
      Conditions.set(
          status,
          Conditions.READY,
          Conditions.FALSE,
          built.getReason(),
          built.getMessage(),
          generation,
          now);
    } else {
      Conditions.set(
          status,
          Conditions.READY,
          Conditions.FALSE,
          published.getReason(),
          published.getMessage(),
          generation,
          now);
    }
  }

  /**
   * Patches the status if it changed, and puts the result in the operator's cache at once. The
   * status is the operator's memory (first sighting of a finished build, its time, the Event
   * already sent); returning {@code UpdateControl.patchStatus} would leave the informer's older
   * copy in place until its watch event arrives, and a reconcile in between would act twice.
   */
  private void writeStatus(
      RustlessWasmPluginSource source,
      RustlessWasmPluginSourceStatus status,
      Context<RustlessWasmPluginSource> context) {
    if (status.equals(source.getStatus())) {
      return;
    }
    if (config.useServerSideApply()) {
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
          source, fresh(source, status), context);
    } else {
      PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
          source,
          context,
          r -> {
            r.setStatus(status);
            return r;
          });
    }
  }

  /** Name, namespace and status only: patches never carry (and never clobber) the spec. */
  static RustlessWasmPluginSource fresh(
      RustlessWasmPluginSource source, RustlessWasmPluginSourceStatus status) {
    var patch = new RustlessWasmPluginSource();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(source.getMetadata().getName())
            .withNamespace(source.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }

  @Override
  public ErrorStatusUpdateControl<RustlessWasmPluginSource> updateErrorStatus(
      RustlessWasmPluginSource source, Context<RustlessWasmPluginSource> context, Exception e) {
    log.warn(
        "source {}/{}: reconcile failed (attempt {}), will retry: {}",
        source.getMetadata().getNamespace(),
        source.getMetadata().getName(),
        context.getRetryInfo().map(r -> r.getAttemptCount()).orElse(0),
        e.toString());
    var status = RustlessWasmPluginSourceStatus.copyOf(source.getStatus());
    long generation = generation(source);
    Conditions.set(
        status,
        Conditions.READY,
        Conditions.FALSE,
        Reasons.RECONCILE_ERROR,
        "reconcile failed, retrying: " + e.getMessage(),
        generation,
        clock.instant());
    return ErrorStatusUpdateControl.patchStatus(fresh(source, status));
  }

  @Override
  public DeleteControl cleanup(
      RustlessWasmPluginSource source, Context<RustlessWasmPluginSource> context) {
    var refs = new HashSet<WasmPluginReference>();
    context.getSecondaryResources(WasmPlugin.class).stream()
        .map(
            w -> new WasmPluginReference(w.getMetadata().getNamespace(), w.getMetadata().getName()))
        .forEach(refs::add);
    Optional.ofNullable(source.getStatus())
        .map(RustlessWasmPluginSourceStatus::getWasmPlugin)
        .ifPresent(refs::add);
    for (var ref : refs) {
      log.info(
          "source {}/{} deleted: deleting WasmPlugin {}",
          source.getMetadata().getNamespace(),
          source.getMetadata().getName(),
          ref);
      deleteWasmPlugin(context.getClient(), ref);
    }
    return DeleteControl.defaultDelete();
  }
}

package io.rustless.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.rustless.operator.OperatorConfig;
import io.rustless.operator.build.Backoff;
import io.rustless.operator.build.BuildInputs;
import io.rustless.operator.build.BuildSlots;
import io.rustless.operator.build.BuildState;
import io.rustless.operator.build.BuildTracker;
import io.rustless.operator.build.SourceRef;
import io.rustless.operator.customresource.Reasons;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.RustlessWasmPluginSourceStatus;
import io.rustless.operator.dependent.BuildJobDependent;
import io.rustless.operator.dependent.BuildNetworkPolicyDependent;
import io.rustless.operator.dependent.WasmPluginDependent;
import io.rustless.operator.git.GitCredentials;
import io.rustless.operator.git.GitDurations;
import io.rustless.operator.git.GitRevisionResolver;
import io.rustless.operator.git.Revisions;
import io.rustless.operator.status.Outcome;
import io.rustless.operator.status.Publication;
import io.rustless.operator.status.StatusCalculator;
import io.rustless.operator.validation.Admission;
import io.rustless.operator.validation.Catalogue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile of a source, phase by phase: admission (pure), the git revision, the build, the
 * publication, then the status (pure, {@link StatusCalculator}) and its Events. Each phase is its
 * own class and testable alone; this one wires them and decides when to look again.
 */
public final class SourcePipeline {

  private static final Logger log = LoggerFactory.getLogger(SourcePipeline.class);

  /** A queued build looks again this often even when no slot-freed event reaches it. */
  static final Duration QUEUE_POLL = Duration.ofSeconds(30);

  /** The effects outside the Kubernetes resources the pipeline owns. */
  public interface Effects {
    void event(
        Context<RustlessWasmPluginSource> ctx,
        RustlessWasmPluginSource source,
        String type,
        String reason,
        String message);

    void buildStarted();

    void buildSucceeded();

    void buildFailed();

    void invalidConfig();

    /** A Secret of the source's namespace (git credentials); null if absent or not readable. */
    Secret secret(Context<RustlessWasmPluginSource> ctx, String namespace, String name);
  }

  private final OperatorConfig config;
  private final Clock clock;
  private final Effects effects;
  private final Admission admission;
  private final Revisions revisions;
  private final BuildJobDependent buildJob = new BuildJobDependent();
  private final WasmPluginDependent wasmPlugin;
  private final Optional<BuildNetworkPolicyDependent> networkPolicy;
  private final AtomicReference<SimpleInboundEventSource<RustlessWasmPluginSource>> wake =
      new AtomicReference<>();
  private final BuildSlots slots;
  private final BuildStep build;
  private final Teardown teardown;
  private PublishStep publish;

  public SourcePipeline(
      OperatorConfig config,
      Catalogue catalogue,
      Clock clock,
      GitRevisionResolver resolver,
      Effects effects) {
    this.config = config;
    this.clock = clock;
    this.effects = effects;
    this.admission = new Admission(config, catalogue);
    this.revisions = new Revisions(resolver, clock);
    this.wasmPlugin = new WasmPluginDependent(config.wasmPluginNamespaces(), config.instance());
    this.networkPolicy = config.buildNetworkPolicy().map(BuildNetworkPolicyDependent::new);
    this.slots =
        new BuildSlots(
            config.maxConcurrentBuilds(),
            clock,
            id -> Optional.ofNullable(wake.get()).ifPresent(w -> w.propagateEvent(id)));
    this.build =
        new BuildStep(
            config,
            new BuildTracker(
                new Backoff(config.buildRetryBase(), config.buildRetryMax()),
                config.buildMaxAttempts()),
            buildJob,
            slots,
            effects::buildStarted);
    this.teardown = new Teardown(slots, buildJob);
  }

  public List<EventSource<?, RustlessWasmPluginSource>> eventSources(
      EventSourceContext<RustlessWasmPluginSource> context) {
    this.publish =
        new PublishStep(
            config, wasmPlugin, new OwnerAnchor(context.getClient(), config.ownerAnchor()));
    var jobs = buildJob.eventSource(context).orElseThrow();
    var plugins = wasmPlugin.eventSource(context).orElseThrow();
    var queue = new SimpleInboundEventSource<RustlessWasmPluginSource>("build-queue");
    wake.set(queue);
    var sources = new ArrayList<EventSource<?, RustlessWasmPluginSource>>();
    sources.add(jobs);
    sources.add(plugins);
    sources.add(SourceWorld.pods(context, jobs));
    sources.add(SourceWorld.policies(context));
    sources.add(SourceWorld.wasmPluginCrd(context));
    sources.add(queue);
    sources.add(new OrphanSweeper(context, plugins, config.orphanSweepInterval()));
    networkPolicy.ifPresent(n -> sources.add(n.eventSource(context).orElseThrow()));
    return sources;
  }

  public UpdateControl<RustlessWasmPluginSource> reconcile(
      RustlessWasmPluginSource source, Context<RustlessWasmPluginSource> ctx) {
    if (ctx.isPrimaryResourceDeleted() || source.isMarkedForDeletion()) {
      teardown.run(source, ctx);
      return UpdateControl.noUpdate();
    }
    source = Teardown.removeLegacyFinalizer(source, ctx).orElse(source);
    Instant now = clock.instant();
    long generation = Optional.ofNullable(source.getMetadata().getGeneration()).orElse(0L);
    Optional<String> request = pendingRequest(source);
    Step step =
        source.getSpec() != null && source.getSpec().suspended()
            ? new Step(Outcome.suspended(generation, now, request), Optional.empty())
            : run(source, ctx, generation, request, now);
    var previous = source.getStatus();
    var status = StatusCalculator.next(previous, step.outcome());
    for (var e : SourceEvents.of(previous, step.outcome())) {
      effects.event(ctx, source, e.type(), e.reason(), e.message());
      count(e);
      log.info(
          "source {}/{}: {} {}",
          source.getMetadata().getNamespace(),
          source.getMetadata().getName(),
          e.reason(),
          firstLine(e.message()));
    }
    StatusWriter.write(source, status, ctx);
    UpdateControl<RustlessWasmPluginSource> control = UpdateControl.noUpdate();
    return step.lookAgainIn().map(control::rescheduleAfter).orElse(control);
  }

  /** After a failed reconcile: Ready=False, and Stalled once JOSDK stops retrying. */
  public void error(
      RustlessWasmPluginSource source, Context<RustlessWasmPluginSource> ctx, Exception e) {
    boolean last = ctx.getRetryInfo().map(r -> r.isLastAttempt()).orElse(false);
    log.warn(
        "source {}/{}: reconcile failed (attempt {}{}): {}",
        source.getMetadata().getNamespace(),
        source.getMetadata().getName(),
        ctx.getRetryInfo().map(r -> r.getAttemptCount()).orElse(0),
        last ? ", giving up until the next change" : ", will retry",
        e.toString());
    if (ctx.isPrimaryResourceDeleted()) {
      return;
    }
    var status =
        StatusCalculator.error(
            source.getStatus(),
            Optional.ofNullable(source.getMetadata().getGeneration()).orElse(0L),
            String.valueOf(e.getMessage()),
            last,
            clock.instant());
    try {
      StatusWriter.write(source, status, ctx);
    } catch (RuntimeException again) {
      log.warn("could not write the error status: {}", again.toString());
    }
  }

  private record Step(Outcome outcome, Optional<Duration> lookAgainIn) {}

  private Step run(
      RustlessWasmPluginSource source,
      Context<RustlessWasmPluginSource> ctx,
      long generation,
      Optional<String> request,
      Instant now) {
    SourceWorld.View world = SourceWorld.of(source, ctx);
    Admission.Verdict verdict =
        admission.check(source, new Admission.World(world.policies(), world.schema()));
    if (verdict instanceof Admission.Verdict.Rejected rejected) {
      Publication publication = publish.rejected(source, rejected, world, ctx);
      return new Step(
          new Outcome(
              generation, now, false, rejected, Optional.empty(), null, publication, request),
          Optional.empty());
    }
    var admitted = (Admission.Verdict.Admitted) verdict;
    BuildInputs inputs = admitted.inputs();
    Optional<Revisions.Resolution> resolution = Optional.empty();
    if (inputs.source() instanceof SourceRef.Git git) {
      Revisions.Resolution r = resolve(source, git, request.isPresent(), ctx);
      resolution = Optional.of(r);
      if (r instanceof Revisions.Resolution.Failed failed) {
        var previous = RustlessWasmPluginSourceStatus.copyOf(source.getStatus());
        Publication publication =
            publish.unchanged(
                world, previous, "no WasmPlugin yet: the git revision is not resolved");
        return new Step(
            new Outcome(generation, now, false, admitted, resolution, null, publication, request),
            Optional.of(failed.retryIn()));
      }
      inputs = inputs.withSource(git.at(((Revisions.Resolution.Commit) r).commit()), config);
    }
    BuildState state = build.run(source, ctx, inputs, world, generation, request.isPresent(), now);
    Optional<Duration> expiry =
        build.prune(
            world.jobs(),
            inputs,
            source.getStatus(),
            now,
            BuildStep.records(state, source.getStatus()),
            ctx.getClient());
    networkPolicy.ifPresent(n -> n.reconcile(source, ctx));
    Publication publication = publish.admitted(source, admitted, state, world, ctx);
    var outcome =
        new Outcome(generation, now, false, admitted, resolution, state, publication, request);
    return new Step(outcome, earliest(List.of(retry(state), recheck(resolution), expiry)));
  }

  private Revisions.Resolution resolve(
      RustlessWasmPluginSource source,
      SourceRef.Git git,
      boolean force,
      Context<RustlessWasmPluginSource> ctx) {
    String namespace = source.getMetadata().getNamespace();
    Duration interval =
        Optional.ofNullable(source.getSpec().getSource().getGit().getInterval())
            .map(GitDurations::parse)
            .orElse(config.gitInterval());
    return revisions.resolve(
        git.repository(),
        git.revision(),
        git.secretName().map(n -> namespace + "/" + n).orElse(""),
        interval,
        force,
        () ->
            git.secretName()
                .filter(n -> config.readGitSecrets())
                .flatMap(n -> GitCredentials.fromSecret(effects.secret(ctx, namespace, n))));
  }

  /** The reconcile-request annotation's value, when it is one the operator has not acted on. */
  private static Optional<String> pendingRequest(RustlessWasmPluginSource source) {
    String value = SourceUpdateFilter.requestedAt(source);
    String handled =
        Optional.ofNullable(source.getStatus())
            .map(RustlessWasmPluginSourceStatus::getLastHandledReconcileAt)
            .orElse(null);
    return value == null || value.equals(handled) ? Optional.empty() : Optional.of(value);
  }

  private static Optional<Duration> retry(BuildState state) {
    if (state instanceof BuildState.Failed f) {
      return Optional.of(f.retryIn());
    }
    if (state instanceof BuildState.Waiting w) {
      return Optional.of(w.giveUpIn());
    }
    if (state instanceof BuildState.Queued) {
      return Optional.of(QUEUE_POLL);
    }
    return Optional.empty();
  }

  private static Optional<Duration> recheck(Optional<Revisions.Resolution> resolution) {
    return resolution
        .filter(Revisions.Resolution.Commit.class::isInstance)
        .flatMap(r -> ((Revisions.Resolution.Commit) r).recheckIn());
  }

  private static Optional<Duration> earliest(List<Optional<Duration>> candidates) {
    return candidates.stream().flatMap(Optional::stream).min(Duration::compareTo);
  }

  private void count(SourceEvents.Event e) {
    switch (e.reason()) {
      case "Built" -> effects.buildSucceeded();
      case Reasons.BUILD_FAILED, Reasons.BUILD_TIMED_OUT, Reasons.INVALID_BUILD_OUTPUT ->
          effects.buildFailed();
      case Reasons.INVALID_CONFIG -> effects.invalidConfig();
      default -> {}
    }
  }

  private static String firstLine(String message) {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}

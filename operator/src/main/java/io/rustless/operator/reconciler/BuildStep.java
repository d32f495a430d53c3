package io.rustless.operator.reconciler;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.rustless.operator.Names;
import io.rustless.operator.OperatorConfig;
import io.rustless.operator.build.BuildInputs;
import io.rustless.operator.build.BuildJobs;
import io.rustless.operator.build.BuildSlots;
import io.rustless.operator.build.BuildState;
import io.rustless.operator.build.BuildTracker;
import io.rustless.operator.customresource.BuildRecord;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.RustlessWasmPluginSourceStatus;
import io.rustless.operator.dependent.BuildJobDependent;
import io.rustless.operator.dependent.BuildRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build phase's effects: decides with {@link BuildTracker}, starts a Job when a slot is free
 * (or queues), stops Jobs the spec no longer asks for, and deletes finished Jobs once their result
 * is recorded and their time (ttlSecondsAfterFinished, history limits) is up.
 */
final class BuildStep {

  private static final Logger log = LoggerFactory.getLogger(BuildStep.class);
  private static final Duration RECORD_THEN_PRUNE = Duration.ofSeconds(1);

  private final OperatorConfig config;
  private final BuildTracker tracker;
  private final BuildJobDependent buildJob;
  private final BuildSlots slots;
  private final Runnable started;

  BuildStep(
      OperatorConfig config,
      BuildTracker tracker,
      BuildJobDependent buildJob,
      BuildSlots slots,
      Runnable started) {
    this.config = config;
    this.tracker = tracker;
    this.buildJob = buildJob;
    this.slots = slots;
    this.started = started;
  }

  /** Whether {@code state} records a finished build the persisted status does not hold yet. */
  static boolean records(BuildState state, RustlessWasmPluginSourceStatus persisted) {
    BuildRecord record =
        state instanceof BuildState.Succeeded ok
            ? ok.record()
            : state instanceof BuildState.Failed f
                ? f.record()
                : state instanceof BuildState.GaveUp g ? g.record() : null;
    return record != null && (persisted == null || !record.equals(persisted.getLastBuild()));
  }

  BuildState run(
      RustlessWasmPluginSource source,
      Context<RustlessWasmPluginSource> ctx,
      BuildInputs inputs,
      SourceWorld.View world,
      long generation,
      boolean retryRequested,
      Instant now) {
    stopObsolete(world.jobs(), inputs, ctx.getClient());
    var status = RustlessWasmPluginSourceStatus.copyOf(source.getStatus());
    BuildState state =
        tracker.decide(
            new BuildTracker.Request(
                inputs.key(),
                inputs.imageRepository(),
                generation,
                world.jobs(),
                world.pods(),
                status,
                retryRequested,
                now));
    ResourceID id = ResourceID.fromResource(source);
    if (state instanceof BuildState.Start start) {
      if (!slots.acquire(id, SourceWorld.runningBuilds(buildJob))) {
        return new BuildState.Queued(start, slots.max());
      }
      String job = Names.buildJobName(source, inputs.key(), start.attempt());
      ctx.managedWorkflowAndDependentResourceContext()
          .put(
              BuildRequest.KEY, new BuildRequest(inputs, start.attempt(), job, config.buildUser()));
      buildJob.reconcile(source, ctx);
      started.run();
      log.info(
          "source {}/{}: started build Job {} (attempt {}, key {})",
          source.getMetadata().getNamespace(),
          source.getMetadata().getName(),
          job,
          start.attempt(),
          inputs.key().hex().substring(0, 12));
      return new BuildState.Started(job, start.attempt(), start.previous(), start.previousRecord());
    }
    if (!(state instanceof BuildState.Running) && !(state instanceof BuildState.Waiting)) {
      slots.release(id, () -> SourceWorld.runningBuilds(buildJob));
    }
    return state;
  }

  /** A running Job for a build key the spec no longer asks for only wastes a node: stop it. */
  private static void stopObsolete(Set<Job> jobs, BuildInputs inputs, KubernetesClient client) {
    jobs.stream()
        .filter(j -> !inputs.key().hex().equals(BuildJobs.buildKey(j)))
        .filter(j -> BuildJobs.phase(j) == BuildJobs.Phase.RUNNING)
        .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
        .forEach(j -> delete(client, j));
  }

  /**
   * Deletes finished Jobs whose result is in the source's (persisted) status and whose time is up:
   * {@code ttlSecondsAfterFinished} after they finished, or beyond the history limits (newest N
   * succeeded, M failed). The newest Job of the current key is kept until its result is recorded,
   * so neither the TTL nor the limits can lose a result. Returns when the next one expires.
   *
   * @param recording this reconcile records a new result (look again right after it is written)
   */
  Optional<Duration> prune(
      Set<Job> jobs,
      BuildInputs inputs,
      RustlessWasmPluginSourceStatus persisted,
      Instant now,
      boolean recording,
      KubernetesClient client) {
    String recorded =
        Optional.ofNullable(persisted)
            .map(RustlessWasmPluginSourceStatus::getLastBuild)
            .map(BuildRecord::getJob)
            .orElse(null);
    Optional<Job> newest = BuildJobs.latestFor(jobs, inputs.key());
    List<Job> done =
        jobs.stream()
            .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
            .filter(j -> BuildJobs.phase(j) != BuildJobs.Phase.RUNNING)
            .filter(
                j ->
                    j.getMetadata().getName().equals(recorded)
                        || newest
                            .map(n -> !n.getMetadata().getName().equals(j.getMetadata().getName()))
                            .orElse(true))
            .sorted(
                Comparator.comparing(
                        (Job j) ->
                            Optional.ofNullable(j.getMetadata().getCreationTimestamp()).orElse(""))
                    .thenComparing(BuildJobs::attempt)
                    .reversed())
            .toList();
    // A finished newest Job is recorded by this reconcile's status write; look again right after
    // it to apply the limits and TTL with the record in place.
    Duration next = recording ? RECORD_THEN_PRUNE : null;
    int succeeded = 0;
    int failed = 0;
    for (Job j : done) {
      boolean ok = BuildJobs.phase(j) == BuildJobs.Phase.SUCCEEDED;
      int kept = ok ? succeeded++ : failed++;
      int limit = ok ? inputs.successfulHistoryLimit() : inputs.failedHistoryLimit();
      boolean isRecorded = j.getMetadata().getName().equals(recorded);
      if (kept >= limit && !(isRecorded && limit > 0)) {
        delete(client, j);
        continue;
      }
      Instant expires =
          BuildJobs.finishedAt(j).orElse(now).plusSeconds(inputs.ttlSecondsAfterFinished());
      if (!expires.isAfter(now)) {
        delete(client, j);
      } else {
        Duration left = Duration.between(now, expires);
        next = next == null || left.compareTo(next) < 0 ? left : next;
      }
    }
    return Optional.ofNullable(next);
  }

  static void delete(KubernetesClient client, Job job) {
    client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
  }
}

package io.rustless.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.rustless.operator.Names;
import io.rustless.operator.build.BuildJobs;
import io.rustless.operator.build.BuildSlots;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.WasmPluginReference;
import io.rustless.operator.dependent.BuildJobDependent;
import io.rustless.operator.higress.WasmPlugin;
import java.util.HashSet;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deleted source: its WasmPlugins are deleted and its running build stopped, at once. No
 * finalizer holds the source for this (one that outlived the operator would make deleting the
 * source, its namespace or the CRD hang); what a stopped operator misses, the orphan sweep and
 * owner references (Jobs; the chart's anchor for WasmPlugins) catch.
 */
final class Teardown {

  private static final Logger log = LoggerFactory.getLogger(Teardown.class);

  private final BuildSlots slots;
  private final BuildJobDependent buildJob;

  Teardown(BuildSlots slots, BuildJobDependent buildJob) {
    this.slots = slots;
    this.buildJob = buildJob;
  }

  void run(RustlessWasmPluginSource source, Context<RustlessWasmPluginSource> ctx) {
    var refs = new HashSet<WasmPluginReference>();
    ctx.getSecondaryResources(WasmPlugin.class).stream()
        .map(
            w -> new WasmPluginReference(w.getMetadata().getNamespace(), w.getMetadata().getName()))
        .forEach(refs::add);
    for (var ref : refs) {
      log.info(
          "source {}/{} deleted: deleting WasmPlugin {}",
          source.getMetadata().getNamespace(),
          source.getMetadata().getName(),
          ref);
      PublishStep.deleteWasmPlugin(ctx.getClient(), ref);
    }
    ctx.getSecondaryResources(io.fabric8.kubernetes.api.model.batch.v1.Job.class).stream()
        .filter(j -> BuildJobs.ownedBy(j, source))
        .filter(j -> BuildJobs.phase(j) == BuildJobs.Phase.RUNNING)
        .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
        .forEach(
            j -> {
              log.info(
                  "source {}/{} deleted: stopping build Job {}",
                  source.getMetadata().getNamespace(),
                  source.getMetadata().getName(),
                  j.getMetadata().getName());
              BuildStep.delete(ctx.getClient(), j);
            });
    slots.release(ResourceID.fromResource(source), () -> SourceWorld.runningBuilds(buildJob));
    if (!ctx.isPrimaryResourceDeleted()) {
      removeLegacyFinalizer(source, ctx);
    }
  }

  /** Sources written by operator versions with a finalizer lose it (it is no longer needed). */
  static Optional<RustlessWasmPluginSource> removeLegacyFinalizer(
      RustlessWasmPluginSource source, Context<RustlessWasmPluginSource> ctx) {
    if (!source.hasFinalizer(Names.LEGACY_FINALIZER)) {
      return Optional.empty();
    }
    log.info(
        "source {}/{}: removing the finalizer {} of earlier versions",
        source.getMetadata().getNamespace(),
        source.getMetadata().getName(),
        Names.LEGACY_FINALIZER);
    return Optional.ofNullable(
        PrimaryUpdateAndCacheUtils.removeFinalizer(
            ctx.getClient(), source, Names.LEGACY_FINALIZER));
  }
}

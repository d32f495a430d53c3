package io.rustless.operator.reconciler;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.rustless.operator.OperatorConfig;
import io.rustless.operator.build.BuildState;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.Reasons;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.RustlessWasmPluginSourceStatus;
import io.rustless.operator.customresource.WasmPluginReference;
import io.rustless.operator.dependent.PublishRequest;
import io.rustless.operator.dependent.WasmPluginDependent;
import io.rustless.operator.higress.DesiredWasmPlugin;
import io.rustless.operator.higress.WasmPlugin;
import io.rustless.operator.policy.Tenancy;
import io.rustless.operator.policy.Violation;
import io.rustless.operator.status.Publication;
import io.rustless.operator.validation.Admission;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish phase's effects: writes the WasmPlugin only from a good build of an admitted spec;
 * otherwise leaves the one serving alone, except when it breaks the current policy (then it is
 * deleted: a revoked grant takes effect). Never touches a WasmPlugin it does not manage.
 */
final class PublishStep {

  private static final Logger log = LoggerFactory.getLogger(PublishStep.class);

  private final OperatorConfig config;
  private final WasmPluginDependent wasmPlugin;
  private final Supplier<Optional<OwnerReference>> anchor;

  PublishStep(
      OperatorConfig config,
      WasmPluginDependent wasmPlugin,
      Supplier<Optional<OwnerReference>> anchor) {
    this.config = config;
    this.wasmPlugin = wasmPlugin;
    this.anchor = anchor;
  }

  Publication admitted(
      RustlessWasmPluginSource source,
      Admission.Verdict.Admitted admitted,
      BuildState build,
      SourceWorld.View world,
      Context<RustlessWasmPluginSource> ctx) {
    var previous = RustlessWasmPluginSourceStatus.copyOf(source.getStatus());
    WasmPluginReference target = admitted.wasmPlugin();
    String image;
    String digest;
    if (build instanceof BuildState.Succeeded ok) {
      image = ok.output().image();
      digest = ok.output().digest();
    } else if (build instanceof BuildState.UpToDate && previous.getLastGoodImage() != null) {
      image = previous.getLastGoodImage();
      digest = previous.getLastGoodDigest();
    } else {
      return unchanged(world, previous, "no WasmPlugin yet: waiting for a successful build");
    }
    if (world.wasmPlugin(target).isEmpty() && foreign(target, ctx)) {
      return new Publication.NameTaken(target);
    }
    var desired =
        WasmPluginDependent.desired(
            source,
            target.getNamespace(),
            DesiredWasmPlugin.withImage(admitted.spec(), image),
            config.instance(),
            anchor.get());
    ctx.managedWorkflowAndDependentResourceContext()
        .put(PublishRequest.KEY, new PublishRequest(desired));
    var result = wasmPlugin.reconcile(source, ctx);
    if (result.getSingleOperation() != null) {
      log.info(
          "source {}/{}: {} WasmPlugin {} at {}",
          source.getMetadata().getNamespace(),
          source.getMetadata().getName(),
          result.getSingleOperation(),
          target,
          digest);
    }
    deleteStale(source, target, world, previous, ctx);
    return new Publication.Published(target, digest);
  }

  Publication rejected(
      RustlessWasmPluginSource source,
      Admission.Verdict.Rejected rejected,
      SourceWorld.View world,
      Context<RustlessWasmPluginSource> ctx) {
    var previous = RustlessWasmPluginSourceStatus.copyOf(source.getStatus());
    Optional<WasmPlugin> served =
        Optional.ofNullable(previous.getWasmPlugin()).flatMap(world::wasmPlugin);
    if (served.isPresent() && Reasons.POLICY_VIOLATION.equals(rejected.reason())) {
      WasmPlugin plugin = served.get();
      List<Violation> violations =
          Tenancy.check(
              source.getMetadata().getNamespace(),
              plugin.getMetadata().getNamespace(),
              plugin.getSpec(),
              world.policies());
      if (!violations.isEmpty()) {
        var ref = previous.getWasmPlugin();
        log.warn(
            "source {}/{}: deleting WasmPlugin {}: it breaks the current policy",
            source.getMetadata().getNamespace(),
            source.getMetadata().getName(),
            ref);
        ctx.getClient().resource(plugin).delete();
        return new Publication.Revoked(
            "WasmPlugin "
                + ref
                + " was deleted: "
                + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
      }
    }
    if (served.isEmpty() && Reasons.POLICY_VIOLATION.equals(rejected.reason())) {
      // Deleted by an earlier reconcile for the same reason: say so still.
      Optional<String> revoked =
          previous
              .condition(Conditions.PUBLISHED)
              .filter(c -> Reasons.POLICY_REVOKED.equals(c.getReason()))
              .map(c -> c.getMessage());
      if (revoked.isPresent()) {
        return new Publication.Revoked(revoked.get());
      }
    }
    return unchanged(world, previous, "nothing is published: the spec is not admitted");
  }

  /** The WasmPlugin serving now, if any, keeps serving; this reconcile writes nothing. */
  Publication unchanged(
      SourceWorld.View world, RustlessWasmPluginSourceStatus previous, String otherwise) {
    return Optional.ofNullable(previous.getWasmPlugin())
        .filter(ref -> world.wasmPlugin(ref).isPresent())
        .<Publication>map(ref -> new Publication.ServingPrevious(ref, previous.getLastGoodDigest()))
        .orElse(new Publication.NotPublished(otherwise));
  }

  /**
   * A WasmPlugin at {@code target} this installation does not manage (the informer sees only its
   * own): never overwritten. One GET, only while the target is not in the cache.
   */
  private static boolean foreign(
      WasmPluginReference target, Context<RustlessWasmPluginSource> ctx) {
    WasmPlugin existing =
        ctx.getClient()
            .resources(WasmPlugin.class)
            .inNamespace(target.getNamespace())
            .withName(target.getName())
            .get();
    return existing != null;
  }

  /** After a move to another namespace, the old WasmPlugin must go: nothing else owns it. */
  private static void deleteStale(
      RustlessWasmPluginSource source,
      WasmPluginReference target,
      SourceWorld.View world,
      RustlessWasmPluginSourceStatus previous,
      Context<RustlessWasmPluginSource> ctx) {
    var stale = new HashSet<WasmPluginReference>();
    world.wasmPlugins().stream()
        .map(
            w -> new WasmPluginReference(w.getMetadata().getNamespace(), w.getMetadata().getName()))
        .forEach(stale::add);
    if (previous.getWasmPlugin() != null
        && world.wasmPlugin(previous.getWasmPlugin()).isPresent()) {
      stale.add(previous.getWasmPlugin());
    }
    stale.remove(target);
    for (var ref : stale) {
      log.info(
          "source {}/{}: deleting WasmPlugin {} it no longer publishes to",
          source.getMetadata().getNamespace(),
          source.getMetadata().getName(),
          ref);
      deleteWasmPlugin(ctx.getClient(), ref);
    }
  }

  static void deleteWasmPlugin(KubernetesClient client, WasmPluginReference ref) {
    client
        .resources(WasmPlugin.class)
        .inNamespace(ref.getNamespace())
        .withName(ref.getName())
        .delete();
  }
}

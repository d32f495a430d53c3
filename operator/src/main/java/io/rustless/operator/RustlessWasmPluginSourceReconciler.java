package io.rustless.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.git.GitRevisionResolver;
import io.rustless.operator.reconciler.SourcePipeline;
import io.rustless.operator.reconciler.SourceUpdateFilter;
import io.rustless.operator.validation.Catalogue;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Reconciles a {@link RustlessWasmPluginSource}. The work is done by {@link SourcePipeline}, phase
 * by phase (admission, git revision, build, publish, status); this class only holds the JOSDK
 * contract. Delete events reach {@link #reconcile} too (no finalizer: the WasmPlugin and a running
 * build are removed on the event, and an orphan sweep catches what a stopped operator missed).
 */
@ControllerConfiguration(
    name = RustlessWasmPluginSourceReconciler.NAME,
    generationAwareEventProcessing = false,
    triggerReconcilerOnAllEvents = true,
    informer = @Informer(onUpdateFilter = SourceUpdateFilter.class))
@GradualRetry(
    maxAttempts = 10,
    initialInterval = 500,
    intervalMultiplier = 2.0,
    maxInterval = 300_000)
public final class RustlessWasmPluginSourceReconciler
    implements Reconciler<RustlessWasmPluginSource> {

  public static final String NAME = "rustlesswasmpluginsource";

  private final SourcePipeline pipeline;

  public RustlessWasmPluginSourceReconciler(
      OperatorConfig config,
      Catalogue catalogue,
      Clock clock,
      MeterRegistry registry,
      GitRevisionResolver resolver) {
    var events = new EventRecorder(clock);
    var metrics = new BuildMetrics(registry);
    this.pipeline =
        new SourcePipeline(
            Objects.requireNonNull(config),
            Objects.requireNonNull(catalogue),
            Objects.requireNonNull(clock),
            resolver,
            new SourcePipeline.Effects() {
              @Override
              public void event(
                  Context<RustlessWasmPluginSource> ctx,
                  RustlessWasmPluginSource source,
                  String type,
                  String reason,
                  String message) {
                events.record(ctx.getClient(), source, type, reason, message);
              }

              @Override
              public void buildStarted() {
                metrics.started();
              }

              @Override
              public void buildSucceeded() {
                metrics.succeeded();
              }

              @Override
              public void buildFailed() {
                metrics.failed();
              }

              @Override
              public void invalidConfig() {
                metrics.invalidConfig();
              }

              @Override
              public Secret secret(
                  Context<RustlessWasmPluginSource> ctx, String namespace, String name) {
                try {
                  return ctx.getClient().secrets().inNamespace(namespace).withName(name).get();
                } catch (KubernetesClientException e) {
                  return null;
                }
              }
            });
  }

  @Override
  public List<EventSource<?, RustlessWasmPluginSource>> prepareEventSources(
      EventSourceContext<RustlessWasmPluginSource> context) {
    return pipeline.eventSources(context);
  }

  @Override
  public UpdateControl<RustlessWasmPluginSource> reconcile(
      RustlessWasmPluginSource source, Context<RustlessWasmPluginSource> context) {
    return pipeline.reconcile(source, context);
  }

  @Override
  public ErrorStatusUpdateControl<RustlessWasmPluginSource> updateErrorStatus(
      RustlessWasmPluginSource source, Context<RustlessWasmPluginSource> context, Exception e) {
    pipeline.error(source, context, e);
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }
}

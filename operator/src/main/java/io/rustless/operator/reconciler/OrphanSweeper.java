package io.rustless.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.higress.WasmPlugin;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes this installation's WasmPlugins whose source no longer exists (deleted while the operator
 * was down, or its namespace no longer watched): at start and then every interval. Runs only while
 * the operator leads, as an event source of the controller.
 */
final class OrphanSweeper extends AbstractEventSource<Void, RustlessWasmPluginSource> {

  private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);

  private final EventSourceContext<RustlessWasmPluginSource> context;
  private final InformerEventSource<WasmPlugin, RustlessWasmPluginSource> wasmPlugins;
  private final Duration interval;
  private ScheduledExecutorService timer;

  OrphanSweeper(
      EventSourceContext<RustlessWasmPluginSource> context,
      InformerEventSource<WasmPlugin, RustlessWasmPluginSource> wasmPlugins,
      Duration interval) {
    super(Void.class, "orphan-sweeper");
    this.context = context;
    this.wasmPlugins = wasmPlugins;
    this.interval = interval;
  }

  @Override
  public synchronized void start() {
    super.start();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "rustless-orphan-sweeper");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(1, interval.toMillis());
    timer.scheduleWithFixedDelay(
        this::sweepSafely, Math.min(period, 1000), period, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
    super.stop();
  }

  private void sweepSafely() {
    try {
      int deleted = sweep();
      if (deleted > 0) {
        log.info("orphan sweep deleted {} WasmPlugin(s) whose source is gone", deleted);
      }
    } catch (RuntimeException e) {
      log.warn("orphan sweep failed, will try again: {}", e.toString());
    }
  }

  /** One pass; returns how many WasmPlugins it deleted. */
  int sweep() {
    if (!wasmPlugins.isRunning()) {
      return 0;
    }
    KubernetesClient client = context.getClient();
    int deleted = 0;
    for (WasmPlugin plugin : wasmPlugins.list(w -> true).toList()) {
      if (plugin.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Optional<ResourceID> source = sourceOf(plugin);
      if (source.isPresent() && context.getPrimaryCache().get(source.get()).isPresent()) {
        continue;
      }
      log.info(
          "deleting orphaned WasmPlugin {}/{} (source {} is gone)",
          plugin.getMetadata().getNamespace(),
          plugin.getMetadata().getName(),
          source.map(ResourceID::toString).orElse("unknown"));
      try {
        client.resource(plugin).delete();
        deleted++;
      } catch (KubernetesClientException e) {
        log.warn(
            "cannot delete orphaned WasmPlugin {}: {}",
            plugin.getMetadata().getName(),
            e.getMessage());
      }
    }
    return deleted;
  }

  private static Optional<ResourceID> sourceOf(WasmPlugin plugin) {
    Map<String, String> a = plugin.getMetadata().getAnnotations();
    if (a == null) {
      return Optional.empty();
    }
    String name = a.get(Mappers.DEFAULT_ANNOTATION_FOR_NAME);
    String namespace = a.get(Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE);
    return name == null || namespace == null
        ? Optional.empty()
        : Optional.of(new ResourceID(name, namespace));
  }

  @Override
  public Set<Void> getSecondaryResources(RustlessWasmPluginSource primary) {
    return Set.of();
  }
}

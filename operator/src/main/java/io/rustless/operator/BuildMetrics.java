package io.rustless.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Build counters, next to the per-controller metrics JOSDK publishes. */
final class BuildMetrics {

  private final Counter started;
  private final Counter succeeded;
  private final Counter failed;
  private final Counter invalidConfig;

  BuildMetrics(MeterRegistry registry) {
    started =
        Counter.builder("rustless.builds.started")
            .description("Build Jobs created")
            .register(registry);
    succeeded =
        Counter.builder("rustless.builds.succeeded")
            .description("Build Jobs that pushed an image")
            .register(registry);
    failed =
        Counter.builder("rustless.builds.failed")
            .description("Build Jobs that failed, timed out or left no valid result")
            .register(registry);
    invalidConfig =
        Counter.builder("rustless.config.invalid")
            .description("Reconciles that found a config not matching the extension's schema")
            .register(registry);
  }

  void started() {
    started.increment();
  }

  void succeeded() {
    succeeded.increment();
  }

  void failed() {
    failed.increment();
  }

  void invalidConfig() {
    invalidConfig.increment();
  }
}

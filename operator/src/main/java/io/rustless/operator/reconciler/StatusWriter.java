package io.rustless.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.RustlessWasmPluginSourceStatus;

/**
 * Writes a source's status with optimistic locking (a PUT to the status subresource carrying the
 * resourceVersion read) when it changed, and puts the result in the operator's cache at once. On a
 * 409 it reads the newer source from the cache and writes again (JOSDK's {@code
 * updateStatusAndCacheResource}). The status is the operator's memory (first sighting of a finished
 * build, the Event already sent), so the next reconcile must see it even before its watch event
 * arrives. Only {@code /status} is written: never the spec.
 */
final class StatusWriter {

  private StatusWriter() {}

  static void write(
      RustlessWasmPluginSource source,
      RustlessWasmPluginSourceStatus status,
      Context<RustlessWasmPluginSource> ctx) {
    if (status.equals(source.getStatus())) {
      return;
    }
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        source,
        ctx,
        r -> {
          r.setStatus(status);
          return r;
        });
  }
}

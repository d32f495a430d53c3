package io.rustless.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.rustless.operator.Names;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import java.util.Map;
import java.util.Objects;

/**
 * Which updates of a source start a reconcile: a new generation (a spec change), a new {@code
 * rustless.io/requested-at} value, or the start of its deletion. Not the operator's own status
 * writes, nor label or annotation edits by others.
 */
public final class SourceUpdateFilter implements OnUpdateFilter<RustlessWasmPluginSource> {

  @Override
  public boolean accept(RustlessWasmPluginSource updated, RustlessWasmPluginSource old) {
    Long oldGeneration = old.getMetadata().getGeneration();
    Long newGeneration = updated.getMetadata().getGeneration();
    if (oldGeneration == null || newGeneration == null || newGeneration > oldGeneration) {
      return true;
    }
    if (!old.isMarkedForDeletion() && updated.isMarkedForDeletion()) {
      return true;
    }
    return !Objects.equals(requestedAt(updated), requestedAt(old));
  }

  static String requestedAt(RustlessWasmPluginSource source) {
    Map<String, String> a = source.getMetadata().getAnnotations();
    return a == null ? null : a.get(Names.REQUESTED_AT_ANNOTATION);
  }
}

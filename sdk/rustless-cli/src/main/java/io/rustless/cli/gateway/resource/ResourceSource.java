package io.rustless.cli.gateway.resource;

import java.util.function.Consumer;

/**
 * Where the gateway's resources come from: YAML files ({@link FileResourceSource}), a Kubernetes
 * API ({@link KubernetesResourceSource}), or anything an embedder provides. A source delivers a
 * whole {@link ResourceSnapshot} each time something changed; the gateway works out what that
 * means.
 */
public interface ResourceSource extends AutoCloseable {
  /**
   * Starts following the resources. The first snapshot is delivered before this returns; a source
   * that cannot start at all (a path that does not exist, an API that cannot be reached) throws a
   * {@link ResourceException}. Later snapshots come from the source's own thread, one at a time.
   */
  void start(Consumer<ResourceSnapshot> listener);

  /** What it reads, for the start-up line: {@code 2 paths (dir/, extra.yaml)}. */
  String describe();

  /** Stops following; no snapshot is delivered after this returns. */
  @Override
  void close();
}

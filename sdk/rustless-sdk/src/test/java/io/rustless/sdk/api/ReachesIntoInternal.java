package io.rustless.sdk.api;

import io.rustless.sdk.internal.Dispatcher;

/**
 * What the architecture test must refuse (test code only): an API class that uses the dispatcher
 * instead of the {@link PluginRuntime} seam.
 */
final class ReachesIntoInternal {
  private ReachesIntoInternal() {}

  static int contexts(Dispatcher dispatcher) {
    return dispatcher.liveContexts();
  }
}

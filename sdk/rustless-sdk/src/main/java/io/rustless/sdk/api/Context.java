package io.rustless.sdk.api;

import io.rustless.sdk.host.Host;
import io.rustless.sdk.internal.CurrentHost;
import io.rustless.sdk.internal.Utf8;
import java.util.Arrays;
import java.util.Optional;

/** What every context (root or HTTP) can do: lifecycle callbacks and context-free host calls. */
public interface Context {

  /**
   * The host is about to delete this context. Return {@code false} to postpone deletion until the
   * plugin calls {@link #done()} (e.g. while an HTTP call is in flight).
   */
  default boolean onDone() {
    return true;
  }

  /** The stream is complete: a good moment for access logs and metrics. */
  default void onLog() {}

  /** The context is gone; drop what it holds. */
  default void onDelete() {}

  /** The host behind this context. */
  default Host host() {
    return CurrentHost.get();
  }

  /** Wall-clock time in nanoseconds since the epoch, as the host sees it. */
  default long getCurrentTimeNanos() {
    return host().getCurrentTimeNanos();
  }

  /** The property at {@code path}, e.g. {@code getProperty("route_name")}. */
  default Optional<byte[]> getProperty(String... path) {
    return host().getProperty(Arrays.asList(path));
  }

  /** The property at {@code path} decoded as UTF-8. */
  default Optional<String> getPropertyString(String... path) {
    return getProperty(path).map(Utf8::decode);
  }

  /** Tells the host that this context, which returned "not done" from {@link #onDone}, is done. */
  default void done() {
    host().done();
  }
}

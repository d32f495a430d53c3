package io.rustless.sdk.internal;

import io.rustless.sdk.api.HttpContext;

/** One HTTP stream as the dispatcher tracks it: the plugin's context and what it holds. */
final class Stream {
  /** The plugin's context; null if the plugin lets the stream pass untouched. */
  final HttpContext http;

  /** A callback threw: the plugin is bypassed for the rest of the stream. */
  boolean failed;

  boolean requestPaused;
  boolean responsePaused;
  boolean responseStarted;

  Stream(HttpContext http) {
    this.http = http;
  }

  boolean bypassed() {
    return http == null || failed;
  }
}

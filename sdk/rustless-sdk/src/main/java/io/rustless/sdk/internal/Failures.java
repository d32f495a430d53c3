package io.rustless.sdk.internal;

import io.rustless.sdk.api.FailurePolicy;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.Host;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.host.StreamType;
import io.rustless.sdk.lang.Exceptions;
import io.rustless.sdk.lang.Utf8;

/**
 * What a VM does when plugin code throws: a CRITICAL log line naming the callback, then the answer
 * the {@link FailurePolicy} gives the stream. Nothing escapes from here either.
 */
final class Failures {
  private final Host host;

  Failures(Host host) {
    this.host = host;
  }

  /**
   * A stream callback threw: log it, stop calling the plugin for this stream, and answer per the
   * policy (null: fail-open). Fail-open continues (code 0 is CONTINUE for headers, data and
   * trailers alike); fail-closed replies 500 while a reply is still possible, else resets it.
   */
  int failStream(
      Stream s,
      FailurePolicy policy,
      String callback,
      int contextId,
      Throwable t,
      boolean replyPossible) {
    s.failed = true;
    failed(callback, contextId, t);
    if (policy != FailurePolicy.FAIL_CLOSED) {
      return 0;
    }
    failClosed(callback, contextId, replyPossible);
    return 1; // STOP_ITERATION / STOP_ITERATION_AND_BUFFER / PAUSE
  }

  /**
   * An answer callback threw while its stream may be waiting for it: without a fix the request
   * would hang until the proxy times it out. Fail-open resumes what the plugin held; fail-closed
   * replies 500 (or resets the stream once the response has started).
   */
  void failPausedStream(
      Stream s, FailurePolicy policy, String callback, int contextId, Throwable t) {
    s.failed = true;
    failed(callback, contextId, t);
    if (policy == FailurePolicy.FAIL_CLOSED) {
      failClosed(callback, contextId, !s.responseStarted);
      return;
    }
    try {
      if (s.requestPaused) {
        host.continueStream(StreamType.HTTP_REQUEST);
      }
      if (s.responsePaused) {
        host.continueStream(StreamType.HTTP_RESPONSE);
      }
    } catch (Throwable again) {
      failed(callback + " (fail-open resume)", contextId, again);
    }
  }

  private void failClosed(String callback, int contextId, boolean replyPossible) {
    try {
      if (replyPossible) {
        host.sendLocalResponse(
            500, "rustless_plugin_error", Utf8.encode("plugin error\n"), HeaderMap.empty(), -1);
      } else {
        host.closeStream(StreamType.HTTP_RESPONSE);
      }
    } catch (Throwable again) {
      failed(callback + " (fail-closed reply)", contextId, again);
    }
  }

  /** Logs an exception the plugin's code threw in {@code callback}. */
  void failed(String callback, int contextId, Throwable t) {
    log(
        LogLevel.CRITICAL,
        "uncaught exception in "
            + callback
            + " (context "
            + contextId
            + "): "
            + Exceptions.describe(t));
    try {
      host.uncaughtException(callback, contextId, t);
    } catch (Throwable ignored) {
      // a listener must not turn a caught error into an escaping one
    }
  }

  void log(LogLevel level, String message) {
    try {
      host.log(level, "[rustless] " + message);
    } catch (Throwable ignored) {
      // nowhere left to report to; never let logging trap the module
    }
  }
}

package io.rustless.sdk.api;

/** Receives the answer to one HTTP call. */
@FunctionalInterface
public interface HttpCallHandler {
  void onResponse(HttpCallResponse response);
}

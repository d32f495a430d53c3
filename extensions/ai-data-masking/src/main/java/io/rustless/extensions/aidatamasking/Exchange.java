package io.rustless.extensions.aidatamasking;

/** What the request of one HTTP stream told the plugin, kept for its response. */
final class Exchange {
  /** The request was an OpenAI chat request. */
  boolean openAi;

  /** The request asked for a streamed answer ({@code "stream": true}). */
  boolean stream;

  /** The masks to put back in the response. */
  final RestoreMap restore = new RestoreMap();
}

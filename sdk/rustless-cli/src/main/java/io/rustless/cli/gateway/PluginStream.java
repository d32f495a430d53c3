package io.rustless.cli.gateway;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.host.HeaderMap;
import java.util.Optional;

/**
 * One plugin's part of one HTTP stream, as the gateway drives it: the events Envoy delivers to a
 * Wasm filter and what the plugin made of them. Every event may throw {@link PluginFailedException}
 * (the VM trapped). Calls out the plugin makes during an event are performed before the event
 * returns, so a plugin that pauses to wait for one has resumed (or replied) by then.
 */
public interface PluginStream extends AutoCloseable {
  HeaderAction requestHeaders(HeaderMap headers, boolean endOfStream);

  DataAction requestBody(byte[] chunk, boolean endOfStream);

  HeaderAction responseHeaders(HeaderMap headers, boolean endOfStream);

  DataAction responseBody(byte[] chunk, boolean endOfStream);

  /** The local reply the plugin sent, if it did. */
  Optional<LocalReply> localReply();

  /** The request headers as the plugin left them. */
  HeaderMap currentRequestHeaders();

  /** The response headers as the plugin left them. */
  HeaderMap currentResponseHeaders();

  /** The request body buffer as the plugin last left it (what a resume passes on). */
  byte[] currentRequestBody();

  /** The response body buffer as the plugin last left it. */
  byte[] currentResponseBody();

  /** Everything the plugin has passed on as request body so far. */
  byte[] forwardedRequestBody();

  /** Everything the plugin has passed on as response body so far. */
  byte[] forwardedResponseBody();

  /** How often the plugin resumed the request ({@code proxy_continue_stream}). */
  int requestResumes();

  /** How often the plugin resumed the response. */
  int responseResumes();

  /** Ends the stream in the plugin (done, log, delete); never throws. */
  @Override
  void close();

  /** A reply the plugin made itself ({@code proxy_send_local_response}). */
  record LocalReply(int status, HeaderMap headers, byte[] body) {}
}

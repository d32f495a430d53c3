package io.rustless.cli.gateway.http;

import io.rustless.cli.gateway.GatewayConfig.Active;
import io.rustless.cli.gateway.GatewayConfig.ChainEntry;
import io.rustless.cli.gateway.GatewayConfig.Unavailable;
import io.rustless.cli.gateway.GatewayPlugin;
import io.rustless.cli.gateway.PluginFailedException;
import io.rustless.cli.gateway.PluginStream;
import io.rustless.cli.gateway.higress.FailStrategy;
import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.host.HeaderMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One request through the plugin chain, as Envoy's filter manager runs a chain of Wasm filters:
 *
 * <ul>
 *   <li>Request events go through the plugins in chain order, response events in reverse order. A
 *       plugin that holds the headers ({@code StopIteration}) holds them from the next plugin until
 *       it continues, by its return value or by resuming; body bytes go on as the plugin passes
 *       them (what it buffers stays with it until it lets it go).
 *   <li>A local reply from a plugin on the request path ends the request path: the plugins after it
 *       never see the request, and the reply goes back through the response callbacks of the
 *       plugins that saw it, the sender included (Envoy's {@code sendLocalReplyViaFilterChain};
 *       "that reply goes through the filter chain in Envoy. The same plugin is called again ...
 *       onResponseHeaders is called", proxy-wasm/proxy-wasm-cpp-host#423; a plugin whose context
 *       was never created is skipped, as proxy-wasm's {@code in_vm_context_created_}). A local
 *       reply on the response path goes straight to the client ({@code sendDirectLocalReply}). The
 *       router's own replies (404, 503) go back through every plugin.
 *   <li>A plugin that cannot run (it never loaded, or its VM fails) follows its failStrategy:
 *       FAIL_OPEN skips it for the rest of the stream; FAIL_CLOSE ends the stream with a 503 and no
 *       body, Envoy's {@code wasm_fail_stream}.
 * </ul>
 *
 * Not thread-safe: one request's thread drives it.
 */
final class ChainRun implements AutoCloseable {
  /** Where the request goes once every plugin has passed it. */
  interface Upstream {
    void headers(HeaderMap headers, boolean endOfStream);

    void body(byte[] chunk, boolean endOfStream);
  }

  /** Where the response goes once every plugin has passed it. */
  interface Client {
    void headers(HeaderMap headers, boolean endOfStream) throws IOException;

    void body(byte[] chunk, boolean endOfStream) throws IOException;
  }

  private final List<Stage> stages = new ArrayList<>();
  private final int worker;
  private final Map<String, String> properties;
  private final Upstream upstream;
  private final Client client;
  private boolean requestStopped;
  private boolean clientHeadersSent;
  private boolean responseStopped;
  private String outcome = "";

  private final class Stage {
    final ChainEntry<GatewayPlugin> entry;
    PluginStream stream;
    boolean bypass;
    boolean requestHeadersPassed;
    boolean responseHeadersPassed;
    boolean repliedOnRequest;

    Stage(ChainEntry<GatewayPlugin> entry) {
      this.entry = entry;
    }

    String name() {
      return entry.deployment().name();
    }

    boolean failsOpen() {
      return entry.deployment().failStrategy() == FailStrategy.FAIL_OPEN;
    }
  }

  ChainRun(
      List<ChainEntry<GatewayPlugin>> chain,
      int worker,
      Map<String, String> properties,
      Upstream upstream,
      Client client) {
    for (ChainEntry<GatewayPlugin> e : chain) {
      stages.add(new Stage(e));
    }
    this.worker = worker;
    this.properties = Map.copyOf(properties);
    this.upstream = Objects.requireNonNull(upstream);
    this.client = Objects.requireNonNull(client);
  }

  /** True once the request path ended before the upstream (a local reply or a failure). */
  boolean requestStopped() {
    return requestStopped;
  }

  /** True once the client has the response headers. */
  boolean clientHeadersSent() {
    return clientHeadersSent;
  }

  /** How the exchange ended, for the access log ({@code local reply from say-hello}). */
  String outcome() {
    return outcome;
  }

  // ---- request path ---------------------------------------------------------------------------

  void requestHeaders(HeaderMap headers, boolean endOfStream) {
    passRequestHeaders(0, headers, endOfStream);
  }

  void requestBody(byte[] chunk, boolean endOfStream) {
    passRequestBody(0, chunk, endOfStream);
  }

  private void passRequestHeaders(int i, HeaderMap headers, boolean endOfStream) {
    if (requestStopped) {
      return;
    }
    if (i == stages.size()) {
      upstream.headers(headers, endOfStream);
      return;
    }
    Stage s = stages.get(i);
    if (s.entry instanceof Unavailable<GatewayPlugin> u) {
      if (u.failsOpen()) {
        s.bypass = true;
        passRequestHeaders(i + 1, headers, endOfStream);
      } else {
        failStream(i, s.name() + " is unavailable (" + u.reason() + ")");
      }
      return;
    }
    HeaderAction action;
    try {
      if (s.stream == null) {
        s.stream = ((Active<GatewayPlugin>) s.entry).plugin().open(worker, properties);
      }
      action = s.stream.requestHeaders(headers, endOfStream);
    } catch (PluginFailedException e) {
      if (failed(i, e)) {
        passRequestHeaders(i + 1, headers, endOfStream);
      }
      return;
    }
    if (s.stream.localReply().isPresent()) {
      localReply(i, s.stream.localReply().get());
      return;
    }
    boolean continued =
        action == HeaderAction.CONTINUE
            || action == HeaderAction.CONTINUE_AND_END_STREAM
            || s.stream.requestResumes() > 0;
    if (continued) {
      s.requestHeadersPassed = true;
      passRequestHeaders(
          i + 1,
          s.stream.currentRequestHeaders(),
          endOfStream || action == HeaderAction.CONTINUE_AND_END_STREAM);
    } else if (endOfStream) {
      paused(i, "request headers");
    }
  }

  private void passRequestBody(int i, byte[] chunk, boolean endOfStream) {
    if (requestStopped) {
      return;
    }
    if (i == stages.size()) {
      upstream.body(chunk, endOfStream);
      return;
    }
    Stage s = stages.get(i);
    if (s.bypass) {
      passRequestBody(i + 1, chunk, endOfStream);
      return;
    }
    int before = s.stream.forwardedRequestBody().length;
    int resumes = s.stream.requestResumes();
    DataAction action;
    try {
      action = s.stream.requestBody(chunk, endOfStream);
    } catch (PluginFailedException e) {
      if (failed(i, e)) {
        if (!s.requestHeadersPassed) {
          s.requestHeadersPassed = true;
          passRequestHeaders(i + 1, s.stream.currentRequestHeaders(), false);
        }
        passRequestBody(i + 1, chunk, endOfStream);
      }
      return;
    }
    if (s.stream.localReply().isPresent()) {
      localReply(i, s.stream.localReply().get());
      return;
    }
    boolean continued = action == DataAction.CONTINUE || s.stream.requestResumes() > resumes;
    if (!s.requestHeadersPassed) {
      if (!continued) {
        if (endOfStream) {
          paused(i, "request body");
        }
        return;
      }
      s.requestHeadersPassed = true;
      passRequestHeaders(i + 1, s.stream.currentRequestHeaders(), false);
      if (requestStopped) {
        return;
      }
    }
    byte[] fresh =
        passed(
            s.stream.forwardedRequestBody(),
            before,
            action,
            continued,
            s.stream::currentRequestBody);
    boolean end = endOfStream && continued;
    if (fresh.length > 0 || end) {
      passRequestBody(i + 1, fresh, end);
    } else if (endOfStream) {
      paused(i, "request body");
    }
  }

  // ---- response path --------------------------------------------------------------------------

  void responseHeaders(HeaderMap headers, boolean endOfStream) throws IOException {
    passResponseHeaders(stages.size() - 1, headers, endOfStream);
  }

  void responseBody(byte[] chunk, boolean endOfStream) throws IOException {
    passResponseBody(stages.size() - 1, chunk, endOfStream);
  }

  private void passResponseHeaders(int i, HeaderMap headers, boolean endOfStream)
      throws IOException {
    if (responseStopped) {
      return;
    }
    if (i < 0) {
      clientHeadersSent = true;
      client.headers(headers, endOfStream);
      return;
    }
    Stage s = stages.get(i);
    if (s.bypass || s.stream == null) {
      passResponseHeaders(i - 1, headers, endOfStream);
      return;
    }
    HeaderAction action;
    try {
      action = s.stream.responseHeaders(headers, endOfStream);
    } catch (PluginFailedException e) {
      if (failedOnResponse(i, e)) {
        passResponseHeaders(i - 1, headers, endOfStream);
      }
      return;
    }
    if (replyOnResponse(s)) {
      return;
    }
    boolean continued =
        action == HeaderAction.CONTINUE
            || action == HeaderAction.CONTINUE_AND_END_STREAM
            || s.stream.responseResumes() > 0;
    if (continued) {
      s.responseHeadersPassed = true;
      passResponseHeaders(
          i - 1,
          s.stream.currentResponseHeaders(),
          endOfStream || action == HeaderAction.CONTINUE_AND_END_STREAM);
    } else if (endOfStream) {
      pausedOnResponse(i, "response headers");
    }
  }

  private void passResponseBody(int i, byte[] chunk, boolean endOfStream) throws IOException {
    if (responseStopped) {
      return;
    }
    if (i < 0) {
      client.body(chunk, endOfStream);
      return;
    }
    Stage s = stages.get(i);
    if (s.bypass || s.stream == null) {
      passResponseBody(i - 1, chunk, endOfStream);
      return;
    }
    int before = s.stream.forwardedResponseBody().length;
    int resumes = s.stream.responseResumes();
    DataAction action;
    try {
      action = s.stream.responseBody(chunk, endOfStream);
    } catch (PluginFailedException e) {
      if (failedOnResponse(i, e)) {
        if (!s.responseHeadersPassed) {
          s.responseHeadersPassed = true;
          passResponseHeaders(i - 1, s.stream.currentResponseHeaders(), false);
        }
        passResponseBody(i - 1, chunk, endOfStream);
      }
      return;
    }
    if (replyOnResponse(s)) {
      return;
    }
    boolean continued = action == DataAction.CONTINUE || s.stream.responseResumes() > resumes;
    if (!s.responseHeadersPassed) {
      if (!continued) {
        if (endOfStream) {
          pausedOnResponse(i, "response body");
        }
        return;
      }
      s.responseHeadersPassed = true;
      passResponseHeaders(i - 1, s.stream.currentResponseHeaders(), false);
      if (responseStopped) {
        return;
      }
    }
    byte[] fresh =
        passed(
            s.stream.forwardedResponseBody(),
            before,
            action,
            continued,
            s.stream::currentResponseBody);
    boolean end = endOfStream && continued;
    if (fresh.length > 0 || end) {
      passResponseBody(i - 1, fresh, end);
    } else if (endOfStream) {
      pausedOnResponse(i, "response body");
    }
  }

  /**
   * The bytes a body callback passed on: what the host counts as forwarded since {@code before};
   * when the plugin held the body and then resumed the stream, the buffer it left (a resume lets
   * the buffered body go, as Envoy's continueDecoding/continueEncoding do).
   */
  private static byte[] passed(
      byte[] forwarded,
      int before,
      DataAction action,
      boolean continued,
      java.util.function.Supplier<byte[]> buffer) {
    if (forwarded.length > before) {
      return Arrays.copyOfRange(forwarded, before, forwarded.length);
    }
    if (continued && action != DataAction.CONTINUE) {
      return buffer.get();
    }
    return new byte[0];
  }

  // ---- endings --------------------------------------------------------------------------------

  /** A local reply from stage {@code i} on the request path: back through stages i..0. */
  private void localReply(int i, PluginStream.LocalReply reply) {
    requestStopped = true;
    stages.get(i).repliedOnRequest = true;
    outcome = "local reply from " + stages.get(i).name();
    sendThrough(i, reply.status(), reply.headers(), reply.body());
  }

  /** Envoy's failStream: 503, no body, back through the stages before {@code i}. */
  private void failStream(int i, String why) {
    requestStopped = true;
    outcome = "wasm_fail_stream: " + why;
    sendThrough(i - 1, 503, HeaderMap.empty(), new byte[0]);
  }

  /** A plugin that paused with nothing left to resume it. */
  private void paused(int i, String where) {
    requestStopped = true;
    String why =
        "the plugin "
            + stages.get(i).name()
            + " paused the stream at its "
            + where
            + " and did not resume it (only calls to clusters given with --cluster resume it here)";
    outcome = "500: " + why;
    sendThrough(
        i - 1,
        500,
        HeaderMap.of("content-type", "text/plain; charset=utf-8"),
        ("rustless gateway: " + why + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private void sendThrough(int from, int status, HeaderMap extra, byte[] body) {
    HeaderMap headers = localReplyHeaders(status, extra, body);
    try {
      passResponseHeaders(from, headers, body.length == 0);
      if (body.length > 0) {
        passResponseBody(from, body, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The headers of a local reply as Envoy builds them ({@code Utility::prepareLocalReply}): the
   * status, a content type and length for a body, then the plugin's own headers, which replace
   * those of the same name.
   */
  static HeaderMap localReplyHeaders(int status, HeaderMap extra, byte[] body) {
    HeaderMap.Builder b = HeaderMap.builder().add(":status", Integer.toString(status));
    boolean ownType = false;
    for (int k = 0; k < extra.size(); k++) {
      if (extra.name(k).equalsIgnoreCase("content-type")) {
        ownType = true;
      }
    }
    if (body.length > 0 && !ownType) {
      b.add("content-type", "text/plain");
    }
    b.add("content-length", Integer.toString(body.length));
    for (int k = 0; k < extra.size(); k++) {
      String name = extra.name(k).toLowerCase(Locale.ROOT);
      if (name.equals(":status") || name.equals("content-length")) {
        continue;
      }
      b.add(name, extra.value(k));
    }
    return b.build();
  }

  /** A failure at stage {@code i}; true if the stream goes on without the plugin (FAIL_OPEN). */
  private boolean failed(int i, PluginFailedException e) {
    Stage s = stages.get(i);
    s.bypass = true;
    if (s.failsOpen()) {
      outcome = "FAIL_OPEN: " + s.name() + " failed (" + e.getMessage() + ") and was skipped";
      return true;
    }
    failStream(i, s.name() + " failed: " + e.getMessage());
    return false;
  }

  private boolean failedOnResponse(int i, PluginFailedException e) throws IOException {
    Stage s = stages.get(i);
    s.bypass = true;
    if (s.failsOpen()) {
      outcome = "FAIL_OPEN: " + s.name() + " failed (" + e.getMessage() + ") and was skipped";
      return true;
    }
    outcome = "wasm_fail_stream: " + s.name() + " failed: " + e.getMessage();
    sendDirect(503, HeaderMap.empty(), new byte[0]);
    return false;
  }

  /**
   * A local reply on the response path goes straight to the client ({@code sendDirectLocalReply}).
   */
  private boolean replyOnResponse(Stage s) throws IOException {
    if (s.repliedOnRequest || s.stream.localReply().isEmpty()) {
      return false;
    }
    PluginStream.LocalReply r = s.stream.localReply().get();
    outcome = "local reply from " + s.name() + " on the response";
    sendDirect(r.status(), r.headers(), r.body());
    return true;
  }

  private void pausedOnResponse(int i, String where) throws IOException {
    String why =
        "the plugin "
            + stages.get(i).name()
            + " paused the stream at its "
            + where
            + " and did not resume it";
    outcome = "500: " + why;
    sendDirect(
        500,
        HeaderMap.of("content-type", "text/plain; charset=utf-8"),
        ("rustless gateway: " + why + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private void sendDirect(int status, HeaderMap extra, byte[] body) throws IOException {
    responseStopped = true;
    if (clientHeadersSent) {
      // The response has started: all that is left is to cut it short.
      throw new IOException("the response was cut short: " + outcome);
    }
    clientHeadersSent = true;
    client.headers(localReplyHeaders(status, extra, body), body.length == 0);
    if (body.length > 0) {
      client.body(body, true);
    }
  }

  /** Ends every plugin's stream (done, log, delete). */
  @Override
  public void close() {
    for (Stage s : stages) {
      if (s.stream != null) {
        s.stream.close();
      }
    }
  }
}

package io.rustless.conformance;

import static io.rustless.conformance.ConformanceRequests.replyTo;
import static io.rustless.conformance.ConformanceRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.api.TrailerAction;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.Mode;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** Every host call of the SDK, end to end, on the JVM and as Wasm (in Chicory and in V8). */
@RustlessTest(plugin = ConformancePlugin.class)
class ConformanceTest {

  @DualModeTest
  void headerCallbackSeesTheHeaderCountAndEndOfStream(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
      assertThat(replyTo(host, request("x-op", "count", "a", "1"))).isEqualTo("5 5 true");
    }
  }

  @DualModeTest
  void readsAllHeadersIncludingOddValues(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      HeaderMap headers =
          request("x-op", "echo-headers", "x-empty", "", "x-utf8", "héllo 😀").toBuilder()
              .add("x-bad", new byte[] {'a', (byte) 0xFF, 'b'})
              .build();
      assertThat(replyTo(host, headers))
          .isEqualTo(
              ":method=GET\n:path=/t\n:authority=h.com\nx-op=echo-headers\nx-empty=\n"
                  + "x-utf8=héllo 😀\nx-bad=a\uFFFDb\n");
    }
  }

  @DualModeTest
  void readsOneHeaderWithoutRegardToCase(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(
              replyTo(host, request("x-op", "get-header", "x-name", "X-Wanted", "x-wanted", "yes")))
          .isEqualTo("yes");
      assertThat(replyTo(host, request("x-op", "get-header", "x-name", "absent")))
          .isEqualTo("<missing>");
      HeaderMap raw =
          request("x-op", "get-header-bytes", "x-name", "x-raw").toBuilder()
              .add("x-raw", new byte[] {0, (byte) 0x80, (byte) 0xFF})
              .build();
      assertThat(replyTo(host, raw)).isEqualTo("0080ff");
    }
  }

  @DualModeTest
  void changesRequestHeaders(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(
              host.callOnHttpRequestHeaders(
                  request(
                      "x-op", "add-header", "x-name", "X-Added", "x-value", "v1", "x-added", "v0")))
          .isEqualTo(HeaderAction.CONTINUE);
      assertThat(host.getRequestHeaders().getAll("x-added")).containsExactly("v0", "v1");
      host.completeHttp();

      host.callOnHttpRequestHeaders(
          request(
              "x-op",
              "set-header",
              "x-name",
              "x-dup",
              "x-value",
              "one",
              "x-dup",
              "a",
              "x-dup",
              "b"));
      assertThat(host.getRequestHeaders().getAll("x-dup")).containsExactly("one");
      host.completeHttp();

      host.callOnHttpRequestHeaders(
          request("x-op", "remove-header", "x-name", "X-GONE", "x-gone", "1"));
      assertThat(host.getRequestHeaders().contains("x-gone")).isFalse();
      host.completeHttp();

      host.callOnHttpRequestHeaders(request("x-op", "set-headers"));
      assertThat(host.getRequestHeaders())
          .isEqualTo(
              HeaderMap.of(":path", "/replaced", ":authority", "new.example", "x-only", "me"));
    }
  }

  @DualModeTest
  void readsAndWritesProperties(PluginHarness plugin) {
    try (TestHost host = plugin.host().property("/orders/7", "request", "path").start()) {
      assertThat(replyTo(host, request("x-op", "property", "x-path", "request.path")))
          .isEqualTo("/orders/7");
      assertThat(replyTo(host, request("x-op", "property", "x-path", "no.such")))
          .isEqualTo("<missing>");
      host.callOnHttpRequestHeaders(
          request("x-op", "set-property", "x-path", "filter_state.rustless", "x-value", "seen"));
      assertThat(host.getProperty("filter_state", "rustless")).contains("seen");
    }
  }

  @DualModeTest
  void logsAtEveryLevelAndFormatsOnlyWhatTheHostKeeps(PluginHarness plugin) {
    try (TestHost host = plugin.host().logLevel(LogLevel.INFO).start()) {
      assertThat(replyTo(host, request("x-op", "log"))).isEqualTo("formatted 1");
      assertThat(host.getLogs())
          .extracting(Object::toString)
          .containsExactly(
              "INFO [conformance] info line",
              "WARN [conformance] warn line",
              "ERROR [conformance] error line",
              "CRITICAL [conformance] critical line",
              "INFO [conformance] lazy counted info");
    }
  }

  @DualModeTest
  void readsTheHostClock(PluginHarness plugin) {
    try (TestHost host = plugin.host().clock(() -> 1_700_000_000_123_456_789L).start()) {
      assertThat(replyTo(host, request("x-op", "time"))).isEqualTo("1700000000123456789");
    }
  }

  @DualModeTest
  void localRepliesCarryStatusHeadersAndUtf8Body(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-op", "reply-utf8"), true);
      LocalResponse reply = host.getLocalResponse().orElseThrow();
      assertThat(reply.statusCode()).isEqualTo(418);
      assertThat(reply.body()).isEqualTo("héllo wörld 😀".getBytes(StandardCharsets.UTF_8));
      assertThat(reply.headers().getBytes("x-bytes").orElseThrow()).containsExactly(0xC3, 0xA9);
      assertThat(reply.grpcStatus()).isEqualTo(-1);
    }
  }

  @DualModeTest
  void aSecondLocalReplyIsRefusedAsAHostError(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(replyTo(host, request("x-op", "reply-twice"))).isEqualTo("first");
      assertThat(host.getLogs(LogLevel.WARN))
          .containsExactly(
              "[conformance] second reply refused: proxy_send_local_response failed:"
                  + " BAD_ARGUMENT");
    }
  }

  @DualModeTest
  void anExceptionFailsOpenAndTheStreamBypassesThePlugin(PluginHarness plugin) {
    try (TestHost host = plugin.start("").expectPluginErrors()) {
      HeaderAction action =
          host.callOnHttpRequestHeaders(request("x-op", "throw", "x-body-op", "throw"));
      assertThat(action).isEqualTo(HeaderAction.CONTINUE);
      assertThat(host.getLocalResponse()).isEmpty();
      // the body callback would throw too, but the failed stream no longer reaches the plugin
      assertThat(host.callOnHttpRequestBody("data")).isEqualTo(DataAction.CONTINUE);
      assertThat(host.getPluginErrors())
          .containsExactly(
              "proxy_on_request_headers (context 2): java.lang.IllegalStateException: boom in"
                  + " request headers");
      assertThat(host.getLogs(LogLevel.CRITICAL))
          .containsExactly(
              "[rustless] uncaught exception in proxy_on_request_headers (context 2):"
                  + " java.lang.IllegalStateException: boom in request headers");
      host.completeHttp();
      // the next stream is served normally
      assertThat(replyTo(host, request("x-op", "count"))).isEqualTo("4 4 true");
    }
  }

  @DualModeTest
  void nullPointerAndBadIndexFromTheRuntimeFailOpenLikeAnyException(PluginHarness plugin) {
    try (TestHost host = plugin.start("").expectPluginErrors()) {
      assertThat(replyTo(host, request("x-op", "null", "x-value", "abc"))).isEqualTo("length 3");
      assertThat(host.callOnHttpRequestHeaders(request("x-op", "null")))
          .isEqualTo(HeaderAction.CONTINUE);
      assertThat(host.getLocalResponse()).isEmpty();
      host.completeHttp();
      assertThat(replyTo(host, request("x-op", "index", "x-value", "1"))).isEqualTo("item 0");
      assertThat(host.callOnHttpRequestHeaders(request("x-op", "index", "x-value", "123")))
          .isEqualTo(HeaderAction.CONTINUE);
      host.completeHttp();
      assertThat(host.getPluginErrors())
          .hasSize(2)
          .satisfiesExactly(
              e ->
                  assertThat(e)
                      .startsWith(
                          "proxy_on_request_headers (context 3): java.lang.NullPointerException"),
              e ->
                  assertThat(e)
                      .startsWith(
                          "proxy_on_request_headers (context 5):"
                              + " java.lang.ArrayIndexOutOfBoundsException"));
      // the plugin still serves the next stream
      assertThat(replyTo(host, request("x-op", "count"))).isEqualTo("4 4 true");
    }
  }

  @DualModeTest
  void runtimeExceptionsCanBeCaughtInsideThePlugin(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      // x-op "caught" is 6 characters long: one[6] is out of bounds, missing is null
      assertThat(replyTo(host, request("x-op", "caught"))).isEqualTo("caught null index");
      assertThat(replyTo(host, request("x-op", "caught", "x-value", "abcd")))
          .isEqualTo("caught4 index");
    }
  }

  @DualModeTest
  void anExceptionFailsClosedWithALocal500WhenConfiguredSo(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"failure_policy\": \"closed\"}").expectPluginErrors()) {
      HeaderAction action = host.callOnHttpRequestHeaders(request("x-op", "throw"));
      assertThat(action).isEqualTo(HeaderAction.STOP_ITERATION);
      LocalResponse reply = host.getLocalResponse().orElseThrow();
      assertThat(reply.statusCode()).isEqualTo(500);
      assertThat(reply.statusDetails()).isEqualTo("rustless_plugin_error");
      assertThat(reply.bodyString()).isEqualTo("plugin error\n");
      host.completeHttp();

      host.callOnHttpRequestHeaders(request("x-response-op", "throw"));
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "200"));
      assertThat(host.getLocalResponse().orElseThrow().statusCode()).isEqualTo(500);
    }
  }

  @DualModeTest
  void bufferedBodyArrivesWhole(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-body-op", "buffer"));
      assertThat(host.callOnHttpRequestBody(bytes("hello "), false))
          .isEqualTo(DataAction.STOP_ITERATION_AND_BUFFER);
      assertThat(host.getLocalResponse()).isEmpty();
      host.callOnHttpRequestBody(bytes("world"), true);
      assertThat(host.getLocalResponse().orElseThrow().bodyString())
          .isEqualTo("11 " + ConformancePlugin.fnv(bytes("hello world")));
    }
  }

  @DualModeTest
  void bodiesOfZeroOneAndThirtyTwoMebibytesCrossIntact(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      for (int size : new int[] {0, 1, 32 << 20}) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
          body[i] = (byte) (i * 31 + (i >>> 8));
        }
        host.callOnHttpRequestHeaders(request("x-body-op", "buffer"));
        host.callOnHttpRequestBody(body, true);
        assertThat(host.getLocalResponse().orElseThrow().bodyString())
            .isEqualTo(size + " " + ConformancePlugin.fnv(body));
        host.completeHttp();
      }
      // and the module keeps working afterwards
      assertThat(replyTo(host, request("x-op", "count"))).isEqualTo("4 4 true");
    }
  }

  @DualModeTest
  void streamedBodyIsRewrittenChunkByChunk(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-body-op", "upper"));
      host.callOnHttpRequestBody(bytes("abc"), false);
      host.callOnHttpRequestBody(bytes("def"), true);
      assertThat(new String(host.getForwardedRequestBody(), StandardCharsets.UTF_8))
          .isEqualTo("ABCDEF");
    }
  }

  @DualModeTest
  void swallowedChunksAreNotForwarded(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-body-op", "swallow"));
      assertThat(host.callOnHttpRequestBody(bytes("secret"), true))
          .isEqualTo(DataAction.STOP_ITERATION_NO_BUFFER);
      assertThat(host.getForwardedRequestBody()).isEmpty();
    }
  }

  @DualModeTest
  void pausedRequestIsResumed(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(host.callOnHttpRequestHeaders(request("x-body-op", "pause-headers")))
          .isEqualTo(HeaderAction.STOP_ALL_ITERATION_AND_BUFFER);
      host.callOnHttpRequestBody(bytes("x"), true);
      assertThat(host.getRequestResumes()).isEqualTo(1);
    }
  }

  @DualModeTest
  void requestTrailersCanBeChanged(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-body-op", "trailers"));
      assertThat(host.callOnHttpRequestTrailers(HeaderMap.of("t1", "a", "t2", "b")))
          .isEqualTo(TrailerAction.PAUSE);
      assertThat(host.getRequestTrailers().get("x-seen-trailers")).contains("2");
    }
  }

  @DualModeTest
  void responseHeadersBodyAndTrailersCanBeChanged(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-response-op", "add-header"));
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "200", "server", "upstream"));
      assertThat(host.getResponseHeaders())
          .isEqualTo(HeaderMap.of(":status", "200", "x-plugin", "rustless"));
      host.completeHttp();

      host.callOnHttpRequestHeaders(request("x-response-op", "read-status"));
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "404"));
      assertThat(host.getResponseHeaders().get("x-status-seen")).contains("404");
      host.completeHttp();

      host.callOnHttpRequestHeaders(request("x-response-op", "replace-body"));
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "200"));
      assertThat(host.callOnHttpResponseBody(bytes("12345"), false))
          .isEqualTo(DataAction.STOP_ITERATION_AND_BUFFER);
      host.callOnHttpResponseBody(bytes("678"), true);
      assertThat(new String(host.getForwardedResponseBody(), StandardCharsets.UTF_8))
          .isEqualTo("[8]");
      host.completeHttp();

      host.callOnHttpRequestHeaders(request("x-response-op", "trailers"));
      host.callOnHttpResponseTrailers(HeaderMap.of("grpc-status", "0"));
      assertThat(host.getResponseTrailers().get("x-grpc-checked")).contains("0");
    }
  }

  @DualModeTest(modes = {Mode.WASM, Mode.V8})
  void aBufferLargerThanTheHeapIsAnErrorNotATrap(Mode mode) {
    PluginHarness small = PluginHarness.module(mode, Path.of("target/small-heap.wasm"));
    try (TestHost host = small.start("").expectPluginErrors()) {
      host.callOnHttpRequestHeaders(request("x-body-op", "buffer"));
      byte[] big = new byte[8 << 20];
      Arrays.fill(big, (byte) 'x');
      assertThat(host.callOnHttpRequestBody(big, true)).isEqualTo(DataAction.CONTINUE);
      assertThat(host.getPluginErrors()).hasSize(1);
      assertThat(host.getPluginErrors().get(0))
          .contains("HeapLimitException")
          .contains("a host buffer of 8388608 bytes does not fit in the plugin's heap");
      host.completeHttp();
      assertThat(replyTo(host, request("x-op", "count"))).isEqualTo("4 4 true");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

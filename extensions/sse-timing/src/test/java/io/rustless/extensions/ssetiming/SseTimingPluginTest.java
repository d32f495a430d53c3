package io.rustless.extensions.ssetiming;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

@RustlessTest(plugin = SseTimingPlugin.class)
class SseTimingPluginTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private final AtomicLong clock = new AtomicLong(T0);

  private TestHost start(PluginHarness plugin, String config) {
    TestHost host = plugin.host().pluginConfiguration(config).clock(clock::get).start();
    assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
    return host;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void sseResponse(TestHost host, String route) {
    if (route != null) {
      host.setRouteName(route);
    }
    host.callOnHttpRequestHeaders(HeaderMap.of(":path", "/stream", ":authority", "h.com"), true);
    host.callOnHttpResponseHeaders(
        HeaderMap.of(
            ":status",
            "200",
            "content-type",
            "text/event-stream; charset=utf-8",
            "content-length",
            "999"));
  }

  private static String forwarded(TestHost host) {
    return new String(host.getForwardedResponseBody(), StandardCharsets.UTF_8);
  }

  @DualModeTest
  void stampsEachEventWithTheTimeSinceTheRequest(PluginHarness plugin) {
    try (TestHost host = start(plugin, "{}")) {
      sseResponse(host, null);
      assertThat(host.getResponseHeaders().contains("content-length")).isFalse();
      clock.addAndGet(12_000_000);
      host.callOnHttpResponseBody(b("data: one\n\n"), false);
      clock.addAndGet(30_000_000);
      host.callOnHttpResponseBody(b("data: two\n\ndata: three\n\n"), true);
      assertThat(forwarded(host))
          .isEqualTo(
              ": server-timing: higress;dur=12\ndata: one\n\n"
                  + ": server-timing: higress;dur=42\ndata: two\n\n"
                  + ": server-timing: higress;dur=42\ndata: three\n\n");
    }
  }

  @DualModeTest
  void theVendorComesFromTheMatchingConfiguration(PluginHarness plugin) {
    String config =
        "{\"vendor\": \"acme\", \"_rules_\": [{\"_match_route_\": [\"llm\"], \"vendor\": \"llm-gw\"}]}";
    try (TestHost host = start(plugin, config)) {
      sseResponse(host, null);
      host.callOnHttpResponseBody(b("data: x\n\n"), true);
      assertThat(forwarded(host)).startsWith(": server-timing: acme;dur=0\n");
      host.completeHttp();
      sseResponse(host, "llm");
      host.callOnHttpResponseBody(b("data: x\n\n"), true);
      assertThat(forwarded(host)).startsWith(": server-timing: llm-gw;dur=0\n");
    }
  }

  @DualModeTest
  void eventsSplitAcrossChunksComeOutWhole(PluginHarness plugin) {
    String stream = "event: delta\ndata: {\"a\":1}\n\ndata: b\r\n\r\n: ping\r\r";
    String expected =
        ": server-timing: higress;dur=0\nevent: delta\ndata: {\"a\":1}\n\n"
            + ": server-timing: higress;dur=0\ndata: b\n\n"
            + ": server-timing: higress;dur=0\n: ping\n\n";
    try (TestHost host = start(plugin, "{}")) {
      sseResponse(host, null);
      host.callOnHttpResponseBody(b(stream), true);
      assertThat(forwarded(host)).isEqualTo(expected);
      host.completeHttp();

      sseResponse(host, null);
      byte[] bytes = b(stream);
      for (int i = 0; i < bytes.length; i++) {
        host.callOnHttpResponseBody(new byte[] {bytes[i]}, i == bytes.length - 1);
      }
      assertThat(forwarded(host)).isEqualTo(expected);
    }
  }

  @DualModeTest
  void aCrlfEndsAnEventAsInHigress(PluginHarness plugin) {
    // Higress resolves the SSE grammar's CRLF ambiguity by letting one CRLF end an event
    try (TestHost host = start(plugin, "{}")) {
      sseResponse(host, null);
      host.callOnHttpResponseBody(b("event: e\r\ndata: d\r\n\r\n"), true);
      assertThat(forwarded(host))
          .isEqualTo(
              ": server-timing: higress;dur=0\nevent: e\n\n"
                  + ": server-timing: higress;dur=0\ndata: d\n\n");
    }
  }

  @DualModeTest
  void aChunkWithoutACompleteEventSendsNothing(PluginHarness plugin) {
    try (TestHost host = start(plugin, "{}")) {
      sseResponse(host, null);
      assertThat(host.callOnHttpResponseBody(b("data: partial"), false))
          .isEqualTo(DataAction.STOP_ITERATION_NO_BUFFER);
      assertThat(forwarded(host)).isEmpty();
      assertThat(host.callOnHttpResponseBody(b(" end\n\n"), false)).isEqualTo(DataAction.CONTINUE);
      assertThat(forwarded(host))
          .isEqualTo(": server-timing: higress;dur=0\ndata: partial end\n\n");
    }
  }

  @DualModeTest
  void leftoversAreFlushedAtTheEnd(PluginHarness plugin) {
    try (TestHost host = start(plugin, "{}")) {
      sseResponse(host, null);
      host.callOnHttpResponseBody(b("data: a\n\ndata: unterminated"), false);
      host.callOnHttpResponseBody(new byte[0], true);
      assertThat(forwarded(host))
          .isEqualTo(
              ": server-timing: higress;dur=0\ndata: a\n\n"
                  + ": server-timing: higress;dur=0\ndata: unterminated\n\n");
    }
  }

  @DualModeTest
  void otherContentTypesAreLeftAlone(PluginHarness plugin) {
    try (TestHost host = start(plugin, "{}")) {
      host.callOnHttpRequestHeaders(HeaderMap.of(":path", "/"), true);
      host.callOnHttpResponseHeaders(
          HeaderMap.of(":status", "200", "content-type", "application/json"));
      host.callOnHttpResponseBody(b("{\"a\":1}\n\n"), true);
      assertThat(forwarded(host)).isEqualTo("{\"a\":1}\n\n");
      assertThat(host.getLogs(LogLevel.WARN))
          .containsExactly(
              "[sse-timing] upstream response Content-Type is not text/event-stream, but"
                  + " application/json, skipped");
      host.completeHttp();

      host.callOnHttpRequestHeaders(HeaderMap.of(":path", "/"), true);
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "204"));
      host.callOnHttpResponseBody(b("x"), true);
      assertThat(forwarded(host)).isEqualTo("x");
      assertThat(host.getLogs(LogLevel.WARN))
          .contains("[sse-timing] upstream response is not set Content-Type, skipped");
    }
  }

  @DualModeTest
  void eventsThatAreNotUtf8KeepTheirBytes(PluginHarness plugin) {
    try (TestHost host = start(plugin, "{}")) {
      sseResponse(host, null);
      byte[] event = {'d', 'a', 't', 'a', ':', ' ', (byte) 0xFF, (byte) 0xC3, '\n', '\n'};
      host.callOnHttpResponseBody(event, true);
      byte[] out = host.getForwardedResponseBody();
      byte[] prefix = b(": server-timing: higress;dur=0\n");
      assertThat(out).startsWith(prefix);
      assertThat(out[prefix.length + 6]).isEqualTo((byte) 0xFF);
      assertThat(host.getPluginErrors()).isEmpty();
    }
  }

  @DualModeTest
  void aVendorWithALineBreakIsRejected(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"vendor\": \"a\\nb\"}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR))
          .containsExactly(
              "[sse-timing] invalid configuration: vendor: must not contain line breaks (it goes"
                  + " into an SSE comment)");
    }
  }
}

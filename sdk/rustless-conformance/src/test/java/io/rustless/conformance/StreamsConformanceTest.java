package io.rustless.conformance;

import static io.rustless.conformance.ConformanceRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import io.rustless.testing.TestStream;
import java.nio.charset.StandardCharsets;

/**
 * Several streams open in one VM at once, as a proxy runs them: each has its own context, headers,
 * calls out and reply, and the plugin's answer to one reaches that one only.
 */
@RustlessTest(plugin = ConformancePlugin.class)
class StreamsConformanceTest {

  @DualModeTest
  void aStreamWaitingOnItsCallOutDoesNotHoldTheOthers(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      TestStream waiting = host.newHttpStream();
      TestStream passing = host.newHttpStream();
      assertThat(waiting.contextId()).isNotEqualTo(passing.contextId());

      assertThat(
              waiting.callOnHttpRequestHeaders(
                  request("x-op", "http-call", "x-upstream", "callee", "x-path", "/slow")))
          .isEqualTo(HeaderAction.STOP_ALL_ITERATION_AND_BUFFER);
      passing.callOnHttpRequestHeaders(
          request("x-op", "add-header", "x-name", "x-passing", "x-value", "1"), true);

      assertThat(passing.getRequestHeaders().get("x-passing")).contains("1");
      assertThat(waiting.getRequestHeaders().get("x-passing")).isEmpty();
      assertThat(waiting.getHttpCallouts()).hasSize(1);
      assertThat(passing.getHttpCallouts()).isEmpty();
      passing.completeHttp();

      host.callOnHttpCallResponse(
          waiting.getHttpCallouts().get(0).token(),
          HeaderMap.of(":status", "200"),
          "pong".getBytes(StandardCharsets.UTF_8),
          HeaderMap.empty());
      assertThat(waiting.getRequestHeaders().get("x-call-status")).contains("200");
      assertThat(waiting.getRequestResumes()).isEqualTo(1);
      assertThat(passing.getRequestResumes()).isZero();
      waiting.completeHttp();
      assertThat(host.getHttpCallouts()).isEmpty();
    }
  }

  @DualModeTest
  void eachStreamGetsItsOwnLocalReplyBesideTheImplicitStream(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-op", "add-header", "x-name", "x-a", "x-value", "a"));
      TestStream other = host.newHttpStream();
      other.callOnHttpRequestHeaders(request("x-op", "count"), true);

      assertThat(other.getLocalResponse().orElseThrow().bodyString()).isEqualTo("4 4 true");
      assertThat(host.getLocalResponse()).isEmpty();
      assertThat(host.getRequestHeaders().get("x-a")).contains("a");
      other.completeHttp();
      host.completeHttp();
      // a stream's verbs keep answering what happened once it is over, and refuse nothing
      assertThat(other.getLocalResponse()).isPresent();
    }
  }

  @DualModeTest
  void theRequestAssertionsSayWhatThePluginDidInstead(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(host.expectLocalReply(request("x-op", "count"), 200, "4 4 true").statusCode())
          .isEqualTo(200);
      assertThat(host.expectPassed(request("x-op", "add-header", "x-name", "x-b", "x-value", "2")))
          .matches(h -> h.get("x-b").orElse("").equals("2"));
      assertThatThrownBy(() -> host.expectLocalReply(request("x-op", "")))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("it passed the request on");
      assertThatThrownBy(() -> host.expectLocalReply(request("x-op", "count"), 403, "no"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("replied 200 \"4 4 true\"");
      assertThatThrownBy(() -> host.expectPassed(request("x-op", "count")))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("but it replied 200");
    }
  }
}

package io.rustless.extensions.wrappersayhello;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.Mode;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;

@RustlessTest(plugin = WrapperSayHelloPlugin.class)
class WrapperSayHelloPluginTest {
  private static final String RULES =
      "{\"_rules_\": [{\"_match_domain_\": [\"foo.com\"], \"name\": \"Foo\"},"
          + " {\"_match_route_\": [\"world\"]}]}";

  private static HeaderMap request(String authority) {
    return HeaderMap.of(":authority", authority, ":path", "/", ":method", "GET");
  }

  @DualModeTest
  void greetsWithTheGlobalName(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"name\": \"Alice\"}")) {
      assertThat(host.callOnHttpRequestHeaders(request("a.com"), true))
          .isEqualTo(HeaderAction.STOP_ITERATION);
      assertThat(host.getLocalResponse().orElseThrow().bodyString()).isEqualTo("Hello, Alice!");
      assertThat(host.getLocalResponse().orElseThrow().statusCode()).isEqualTo(200);
    }
  }

  @DualModeTest
  void emptyNameGreetsTheWorld(PluginHarness plugin) {
    try (TestHost host = plugin.start("{}")) {
      host.callOnHttpRequestHeaders(request("a.com"), true);
      assertThat(host.getLocalResponse().orElseThrow().bodyString()).isEqualTo("Hello, World!");
    }
  }

  @DualModeTest
  void rulesPickTheName(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      host.callOnHttpRequestHeaders(request("foo.com"), true);
      assertThat(host.getLocalResponse().orElseThrow().bodyString()).isEqualTo("Hello, Foo!");
      host.completeHttp();
      host.setRouteName("world");
      host.callOnHttpRequestHeaders(request("bar.com"), true);
      assertThat(host.getLocalResponse().orElseThrow().bodyString()).isEqualTo("Hello, World!");
    }
  }

  @DualModeTest
  void unmatchedRequestsPassThrough(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      assertThat(host.callOnHttpRequestHeaders(request("other.com"), true))
          .isEqualTo(HeaderAction.CONTINUE);
      assertThat(host.getLocalResponse()).isEmpty();
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "200"));
      assertThat(host.getProperty("set_encoder_buffer_limit")).isEmpty();
    }
  }

  @DualModeTest
  void responseHeadersRaiseTheBufferLimit(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"name\": \"A\"}")) {
      host.callOnHttpRequestHeaders(request("a.com"), true);
      assertThat(host.callOnHttpResponseHeaders(HeaderMap.of(":status", "200")))
          .isEqualTo(HeaderAction.CONTINUE);
      assertThat(host.getProperty("set_encoder_buffer_limit")).contains("381881");
    }
  }

  @DualModeTest
  void wrongTypeFailsConfigurationNamingTheField(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"name\": [\"x\"]}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR))
          .containsExactly(
              "[wrapper-say-hello] invalid configuration: name: expected a string but got an array");
    }
  }

  @DualModeTest(modes = Mode.JVM)
  void matchConfigIsTheRulesRecord(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      host.callOnHttpRequestHeaders(request("foo.com"), true);
      assertThat(host.getMatchConfig().orElseThrow().config())
          .isEqualTo(new WrapperSayHelloConfig("Foo"));
    }
  }
}

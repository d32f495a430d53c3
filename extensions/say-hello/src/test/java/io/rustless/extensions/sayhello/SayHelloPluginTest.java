package io.rustless.extensions.sayhello;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;

@RustlessTest(plugin = SayHelloPlugin.class)
class SayHelloPluginTest {

  private static final String RULES =
      """
      {"name": "Alice",
       "_rules_": [
         {"_match_domain_": ["foo.com"], "name": "Foo"},
         {"_match_domain_": ["*.bar.com"], "name": "Bar"},
         {"_match_domain_": ["api.*"], "name": "Api"},
         {"_match_route_": ["lucy"], "name": "Lucy"},
         {"_match_route_": ["both"], "_match_domain_": ["both.com"], "name": "Both"}
       ]}
      """;

  private static String greet(TestHost host, String authority) {
    HeaderAction action =
        host.callOnHttpRequestHeaders(
            HeaderMap.of(":authority", authority, ":path", "/", ":method", "GET"), true);
    LocalResponse reply = host.getLocalResponse().orElseThrow();
    host.completeHttp();
    assertThat(action).isEqualTo(HeaderAction.STOP_ITERATION);
    assertThat(reply.statusCode()).isEqualTo(200);
    assertThat(reply.headers().get("content-type")).contains("text/plain; charset=utf-8");
    return reply.bodyString();
  }

  @DualModeTest
  void greetsWithTheGlobalName(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"name\": \"Alice\"}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
      assertThat(greet(host, "example.com")).isEqualTo("Hello, Alice!");
    }
  }

  @DualModeTest
  void exactDomainRuleWins(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      assertThat(greet(host, "foo.com")).isEqualTo("Hello, Foo!");
      assertThat(greet(host, "www.foo.com")).isEqualTo("Hello, Alice!");
    }
  }

  @DualModeTest
  void suffixWildcardMatchesSubdomainsOnly(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      assertThat(greet(host, "a.bar.com")).isEqualTo("Hello, Bar!");
      assertThat(greet(host, "x.y.bar.com")).isEqualTo("Hello, Bar!");
      assertThat(greet(host, "bar.com")).isEqualTo("Hello, Alice!");
    }
  }

  @DualModeTest
  void prefixWildcardMatchesAnyEnding(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      assertThat(greet(host, "api.example.org")).isEqualTo("Hello, Api!");
      assertThat(greet(host, "apix.example.org")).isEqualTo("Hello, Alice!");
    }
  }

  @DualModeTest
  void portIsStrippedAndCaseIgnoredBeforeDomainMatching(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      assertThat(greet(host, "foo.com:8080")).isEqualTo("Hello, Foo!");
      assertThat(greet(host, "FOO.Com")).isEqualTo("Hello, Foo!");
      assertThat(greet(host, "a.BAR.com:443")).isEqualTo("Hello, Bar!");
    }
  }

  @DualModeTest
  void routeRuleMatchesTheRouteName(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      host.setRouteName("lucy");
      assertThat(greet(host, "example.com")).isEqualTo("Hello, Lucy!");
      host.setRouteName("lucy-2");
      assertThat(greet(host, "example.com")).isEqualTo("Hello, Alice!");
    }
  }

  @DualModeTest
  void firstMatchingRuleWins(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      host.setRouteName("lucy");
      assertThat(greet(host, "foo.com")).isEqualTo("Hello, Foo!");
    }
  }

  @DualModeTest
  void ruleWithRouteAndDomainNeedsBoth(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      host.setRouteName("both");
      assertThat(greet(host, "both.com")).isEqualTo("Hello, Both!");
      assertThat(greet(host, "other.com")).isEqualTo("Hello, Alice!");
      host.setRouteName("other");
      assertThat(greet(host, "both.com")).isEqualTo("Hello, Alice!");
    }
  }

  @DualModeTest
  void withoutGlobalConfigUnmatchedRequestsGetWorld(PluginHarness plugin) {
    try (TestHost host =
        plugin.start("{\"_rules_\": [{\"_match_domain_\": [\"foo.com\"], \"name\": \"Foo\"}]}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
      assertThat(greet(host, "foo.com")).isEqualTo("Hello, Foo!");
      assertThat(greet(host, "bar.com")).isEqualTo("Hello, World!");
    }
  }

  @DualModeTest
  void missingNameFailsConfigurationNamingTheField(PluginHarness plugin) {
    try (TestHost host = plugin.start("{}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR))
          .containsExactly(
              "[say-hello] invalid configuration: name: required field is missing (expected a"
                  + " string)");
    }
  }

  @DualModeTest
  void emptyConfigurationFailsConfigurationNamingTheField(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR).get(0)).contains("name: required field is missing");
    }
  }

  @DualModeTest
  void ruleMissingNameFailsConfigurationWithItsPath(PluginHarness plugin) {
    try (TestHost host =
        plugin.start("{\"name\": \"A\", \"_rules_\": [{\"_match_route_\": [\"r\"]}]}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR).get(0))
          .contains("_rules_[0].name: required field is missing");
    }
  }

  @DualModeTest
  void wrongTypeFailsConfiguration(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"name\": 42}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR).get(0))
          .contains("name: expected a string but got a number");
    }
  }

  @DualModeTest
  void ruleWithoutMatchConditionFailsConfiguration(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"_rules_\": [{\"name\": \"B\"}]}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR).get(0))
          .contains("_rules_[0]._match_route_: a rule needs at least one non-empty");
    }
  }

  @DualModeTest
  void malformedJsonFailsConfigurationWithItsOffset(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"name\": \"A\",")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR).get(0))
          .isEqualTo(
              "[say-hello] invalid configuration: malformed JSON at offset 13: expected a member"
                  + " name in double quotes");
    }
  }

  @DualModeTest
  void configurationThatIsNotUtf8IsRejectedCleanly(PluginHarness plugin) {
    try (TestHost host =
        plugin.host().pluginConfiguration(new byte[] {'{', (byte) 0xFF, '}'}).start()) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR).get(0)).contains("malformed JSON at offset 1");
    }
  }

  @DualModeTest
  void unknownFieldIsReportedButAccepted(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"name\": \"A\", \"nmae\": \"typo\"}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
      assertThat(host.getLogs(LogLevel.WARN))
          .containsExactly("[say-hello] configuration field nmae is not used by this plugin");
    }
  }

  @DualModeTest
  void nonUtf8AuthorityDoesNotTrap(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      HeaderMap headers =
          HeaderMap.builder()
              .add(":authority", new byte[] {(byte) 0xFF, (byte) 0xFE, 'f', (byte) 0xC3})
              .add("x-bin", new byte[] {0, (byte) 0x80, (byte) 0xBF})
              .add(":path", "/")
              .build();
      host.callOnHttpRequestHeaders(headers, true);
      assertThat(host.getLocalResponse().orElseThrow().bodyString()).isEqualTo("Hello, Alice!");
      host.completeHttp();
      assertThat(host.getPluginErrors()).isEmpty();
    }
  }

  @DualModeTest
  void requestWithoutAuthorityGetsTheGlobalName(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      host.callOnHttpRequestHeaders(HeaderMap.of(":path", "/"), true);
      assertThat(host.getLocalResponse().orElseThrow().bodyString()).isEqualTo("Hello, Alice!");
    }
  }

  @DualModeTest
  void hundredThousandRequestsKeepMemoryBounded(PluginHarness plugin) {
    try (TestHost host = plugin.start(RULES)) {
      HeaderMap headers = HeaderMap.of(":authority", "a.bar.com", ":path", "/hello");
      long memoryAfterWarmUp = 0;
      long lowestHeapFree = Long.MAX_VALUE;
      boolean heapFreedWithoutHelp = false;
      long previousHeapFree = -1;
      for (int i = 0; i < 100_000; i++) {
        host.callOnHttpRequestHeaders(headers, true);
        if (i % 1000 == 0) {
          assertThat(host.getLocalResponse().orElseThrow().bodyString()).isEqualTo("Hello, Bar!");
        }
        host.completeHttp();
        if (i == 1000) {
          memoryAfterWarmUp = host.memoryBytes();
        }
        if (i % 100 == 0 && host.heapFreeBytes() >= 0) {
          long free = host.heapFreeBytes();
          lowestHeapFree = Math.min(lowestHeapFree, free);
          // free heap only ever goes up when the GC has run: nothing else releases memory
          heapFreedWithoutHelp |= previousHeapFree >= 0 && free > previousHeapFree;
          previousHeapFree = free;
        }
      }
      if (plugin.mode().runsModule()) {
        assertThat(host.memoryBytes()).isEqualTo(memoryAfterWarmUp);
        assertThat(heapFreedWithoutHelp).as("the GC ran").isTrue();
        assertThat(lowestHeapFree).isGreaterThan(0);
      } else {
        assertThat(host.liveContexts()).isEqualTo(1); // only the root context is left
      }
    }
  }
}

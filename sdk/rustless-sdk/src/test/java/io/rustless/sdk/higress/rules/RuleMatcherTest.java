package io.rustless.sdk.higress.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.higress.config.InvalidConfigException;
import io.rustless.sdk.higress.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleMatcherTest {

  record Config(String name) {
    static Config parse(ConfigReader r) {
      return new Config(r.requireString("name"));
    }
  }

  private static RuleMatcher<Config> parse(String json) {
    return RuleMatcher.parse(Json.parse(json), Config::parse);
  }

  private static String match(RuleMatcher<Config> m, String host, String route, String cluster) {
    Optional<MatchedConfig<Config>> r = m.match(RequestAttributes.of(host, route, cluster));
    return r.map(c -> c.ruleIndex() + ":" + c.config().name()).orElse("none");
  }

  @Test
  void globalOnly() {
    RuleMatcher<Config> m = parse("{\"name\": \"g\"}");
    assertThat(m.globalConfig()).contains(new Config("g"));
    assertThat(m.rules()).isEmpty();
    assertThat(match(m, "any", "", "")).isEqualTo("-1:g");
  }

  @Test
  void rulesOnlyHaveNoGlobal() {
    RuleMatcher<Config> m = parse("{\"_rules_\": [{\"_match_route_\": [\"r\"], \"name\": \"a\"}]}");
    assertThat(m.globalConfig()).isEmpty();
    assertThat(match(m, "h", "r", "")).isEqualTo("0:a");
    assertThat(match(m, "h", "other", "")).isEqualTo("none");
  }

  @Test
  void emptyRulesNeedAValidGlobal() {
    assertThatThrownBy(() -> parse("{\"_rules_\": []}"))
        .hasMessage("name: required field is missing (expected a string)");
    assertThat(parse("{\"name\": \"g\", \"_rules_\": []}").globalConfig()).isPresent();
  }

  @Test
  void invalidGlobalFailsEvenWithValidRules() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"name\": 1, \"_rules_\": [{\"_match_route_\": [\"r\"], \"name\": \"a\"}]}"))
        .hasMessage("name: expected a string but got a number");
  }

  @Test
  void structuralErrors() {
    assertThatThrownBy(() -> parse("[]"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("the configuration must be a JSON object, not an array");
    assertThatThrownBy(() -> parse("{\"name\": \"g\", \"_rules_\": {}}"))
        .hasMessage("_rules_: expected an array but got an object");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"name\": \"g\", \"_rules_\": [{\"_match_route_\": [\"\"], \"name\": \"a\"}]}"))
        .hasMessageStartingWith("_rules_[0]._match_route_: a rule needs at least one non-empty");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"name\": \"g\", \"_rules_\": [{\"_match_domain_\": \"x\", \"name\": \"a\"}]}"))
        .hasMessage("_rules_[0]._match_domain_: expected an array but got a string");
  }

  @Test
  void emptyMatchEntriesAreDropped() {
    RuleMatcher<Config> m =
        parse("{\"_rules_\": [{\"_match_domain_\": [\"\", \"a.com\"], \"name\": \"a\"}]}");
    assertThat(m.rules().get(0).domains()).containsExactly("a.com");
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @CsvSource({
    "a.com, a.com, true",
    "a.com, A.COM, true",
    "a.com, a.com:8080, true",
    "a.com, b.a.com, false",
    "*.a.com, b.a.com, true",
    "*.a.com, x.b.a.com, true",
    "*.a.com, a.com, false",
    "*, anything, true",
    "api.*, api.example.org, true",
    "api.*, apix.org, false",
    "[::1], [::1]:80, true",
    "[::1], [::1], true",
    "'::1', '::1', true",
    "A.Com, a.COM, true",
    "API.*, api.EXAMPLE.org, true",
    "*.A.COM, B.a.com:443, true",
    "a.com, a.com:, true",
    "a.com, a.com:80x, false",
    "a.com, a.com:80:90, false",
    "*.very.long.suffix.example.com, a.com, false",
    "bücher.de, bücher.de, true",
    "bücher.de, BÜCHER.de, false",
    "*.de, bücher.de:8080, true",
    "'', '', none",
  })
  void domainPatterns(String pattern, String host, String matches) {
    if (matches.equals("none")) {
      // an empty pattern is dropped, and a rule without conditions is refused
      assertThatThrownBy(
              () -> parse("{\"_rules_\": [{\"_match_domain_\": [\"\"], \"name\": \"d\"}]}"))
          .isInstanceOf(InvalidConfigException.class);
      return;
    }
    RuleMatcher<Config> m =
        parse("{\"_rules_\": [{\"_match_domain_\": [\"" + pattern + "\"], \"name\": \"d\"}]}");
    assertThat(match(m, host, "", "")).isEqualTo(Boolean.parseBoolean(matches) ? "0:d" : "none");
  }

  /** What the host hands over is bytes; bytes that are not UTF-8 match only the same bytes. */
  @Test
  void attributesAreComparedAsBytes() {
    RuleMatcher<Config> m =
        parse(
            "{\"name\": \"g\", \"_rules_\": ["
                + "{\"_match_domain_\": [\"\\ufffd.com\"], \"name\": \"replacement\"},"
                + "{\"_match_route_\": [\"r\\u00e9\"], \"name\": \"route\"}]}");
    byte[] latin1Authority = {(byte) 0xE9, '.', 'c', 'o', 'm'};
    byte[] latin1Route = {'r', (byte) 0xE9};
    RequestAttributes raw = bytes(latin1Authority, latin1Route);
    // decoded, both would read as U+FFFD / "r\uFFFD"; as bytes neither matches
    assertThat(m.match(raw).orElseThrow().config().name()).isEqualTo("g");
    RequestAttributes utf8 = bytes("\ufffd.com".getBytes(StandardCharsets.UTF_8), new byte[0]);
    assertThat(m.match(utf8).orElseThrow().config().name()).isEqualTo("replacement");
    RequestAttributes route = bytes(new byte[0], "r\u00e9".getBytes(StandardCharsets.UTF_8));
    assertThat(m.match(route).orElseThrow().config().name()).isEqualTo("route");
  }

  @Test
  void aMatchIsTheSameAnswerEveryTime() {
    RuleMatcher<Config> m =
        parse(
            "{\"name\": \"g\", \"_rules_\": [{\"_match_domain_\": [\"a.com\"], \"name\": \"d\"}]}");
    RequestAttributes a = RequestAttributes.of("a.com", "", "");
    RequestAttributes b = RequestAttributes.of("b.com", "", "");
    assertThat(m.match(a))
        .isSameAs(m.match(a))
        .contains(new MatchedConfig<>(0, m.rules().get(0).config()));
    assertThat(m.match(b)).isSameAs(m.match(b));
    assertThat(m.match(b).orElseThrow().isGlobal()).isTrue();
    assertThat(RuleMatcher.<Config>empty().match(a)).isEmpty();
  }

  private static RequestAttributes bytes(byte[] authority, byte[] route) {
    return new RequestAttributes() {
      @Override
      public String authority() {
        throw new AssertionError("the matcher reads bytes");
      }

      @Override
      public String routeName() {
        throw new AssertionError("the matcher reads bytes");
      }

      @Override
      public String clusterName() {
        return "";
      }

      @Override
      public byte[] authorityBytes() {
        return authority;
      }

      @Override
      public byte[] routeNameBytes() {
        return route;
      }
    };
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @CsvSource({
    "qwen.dns, outbound|443||qwen.dns, true",
    "qwen.dns:443, outbound|443||qwen.dns, true",
    "qwen.dns:80, outbound|443||qwen.dns, false",
    "qwen.dns:, outbound|443||qwen.dns, false",
    "svc.ns.svc.cluster.local:80, outbound|80|v1|svc.ns.svc.cluster.local, true",
    "qwen.dns, outbound|443|qwen.dns, false",
    "qwen.dns, outbound|443|||qwen.dns, false",
    "qwen.dns, '', false",
  })
  void servicePatterns(String service, String cluster, boolean matches) {
    RuleMatcher<Config> m =
        parse("{\"_rules_\": [{\"_match_service_\": [\"" + service + "\"], \"name\": \"s\"}]}");
    assertThat(match(m, "h", "", cluster)).isEqualTo(matches ? "0:s" : "none");
  }

  @Test
  void routePrefixAndFirstMatchWins() {
    RuleMatcher<Config> m =
        parse(
            "{\"name\": \"g\", \"_rules_\": ["
                + "{\"_match_route_prefix_\": [\"api-\"], \"name\": \"prefix\"},"
                + "{\"_match_route_\": [\"api-v1\"], \"name\": \"exact\"}]}");
    assertThat(match(m, "h", "api-v1", "")).isEqualTo("0:prefix");
    assertThat(match(m, "h", "web", "")).isEqualTo("-1:g");
  }

  @Test
  void combinedConditionsMustAllMatch() {
    RuleMatcher<Config> m =
        parse(
            "{\"_rules_\": [{\"_match_route_\": [\"r\"], \"_match_service_\": [\"s.dns\"],"
                + " \"_match_domain_\": [\"a.com\"], \"name\": \"all\"}]}");
    assertThat(match(m, "a.com", "r", "outbound|80||s.dns")).isEqualTo("0:all");
    assertThat(match(m, "b.com", "r", "outbound|80||s.dns")).isEqualTo("none");
    assertThat(match(m, "a.com", "x", "outbound|80||s.dns")).isEqualTo("none");
    assertThat(match(m, "a.com", "r", "outbound|80||t.dns")).isEqualTo("none");
  }

  @Test
  void onlyNeededAttributesAreRead() {
    RuleMatcher<Config> m =
        parse(
            "{\"name\": \"g\", \"_rules_\": [{\"_match_domain_\": [\"a.com\"], \"name\": \"d\"}]}");
    RequestAttributes onlyAuthority =
        new RequestAttributes() {
          @Override
          public String authority() {
            return "a.com";
          }

          @Override
          public String routeName() {
            throw new AssertionError("route name read");
          }

          @Override
          public String clusterName() {
            throw new AssertionError("cluster name read");
          }
        };
    assertThat(m.match(onlyAuthority).orElseThrow().config().name()).isEqualTo("d");
  }

  @Test
  void unknownKeysAreCollectedWithPaths() {
    RuleMatcher<Config> m =
        parse(
            "{\"name\": \"g\", \"extra\": 1, \"_rules_\": [{\"_match_route_\": [\"r\"], \"name\":"
                + " \"a\", \"typo\": 2}]}");
    assertThat(m.unknownKeys()).containsExactly("extra", "_rules_[0].typo");
  }

  record Consumers(java.util.List<String> all, java.util.List<String> allow) {}

  @Test
  void overrideMergesEachRuleWithTheGlobalConfiguration() {
    RuleMatcher<Consumers> m =
        RuleMatcher.parse(
                Json.parse(
                    "{\"consumers\": [\"a\", \"b\"], \"_rules_\": [{\"_match_route_\": [\"r\"],"
                        + " \"allow\": [\"a\"]}]}"),
                r -> new Consumers(r.getStringList("consumers"), r.getStringList("allow")))
            .override((rule, global) -> new Consumers(global.all(), rule.allow()));
    assertThat(m.rules().get(0).config())
        .isEqualTo(new Consumers(java.util.List.of("a", "b"), java.util.List.of("a")));
    RuleMatcher<Consumers> noGlobal =
        RuleMatcher.parse(
                Json.parse("{\"_rules_\": [{\"_match_route_\": [\"r\"], \"allow\": [\"a\"]}]}"),
                r -> new Consumers(r.getStringList("consumers"), r.getStringList("allow")))
            .override(
                (rule, global) -> {
                  throw new AssertionError("no global to merge with");
                });
    assertThat(noGlobal.rules().get(0).config().allow()).containsExactly("a");
  }

  @Test
  void ruleParserSeesTheGlobalConfiguration() {
    RuleMatcher<Config> m =
        RuleMatcher.parse(
            Json.parse("{\"name\": \"g\", \"_rules_\": [{\"_match_route_\": [\"r\"]}]}"),
            Config::parse,
            (rule, global) -> new Config(rule.getString("name", global.name() + "-inherited")));
    assertThat(match(m, "h", "r", "")).isEqualTo("0:g-inherited");
  }

  @Test
  void rewriteAppliesToGlobalAndRules() {
    RuleMatcher<Config> m =
        parse("{\"name\": \"g\", \"_rules_\": [{\"_match_route_\": [\"r\"], \"name\": \"a\"}]}")
            .rewrite(c -> new Config(c.name().toUpperCase(java.util.Locale.ROOT)));
    assertThat(match(m, "h", "r", "")).isEqualTo("0:A");
    assertThat(match(m, "h", "x", "")).isEqualTo("-1:G");
  }
}

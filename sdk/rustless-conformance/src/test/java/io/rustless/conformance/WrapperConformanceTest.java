package io.rustless.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.HttpCallout;
import io.rustless.testing.Mode;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RedisCallout;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import io.rustless.testing.services.LocalRedis;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Higress wrapper in every mode, with emulated and with real upstreams. */
@RustlessTest(plugin = WrapperConformancePlugin.class, wasm = "target/wrapper.wasm")
class WrapperConformanceTest {
  private static final String CONFIG =
      """
      {"greeting": "hi", "_rules_": [
        {"_match_route_": ["special"], "greeting": "yo", "upper_response": true}]}
      """;

  private static HttpServer upstream;
  private static final List<String> upstreamSaw = new ArrayList<>();
  private static LocalRedis redis;

  @BeforeAll
  static void startServices() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          synchronized (upstreamSaw) {
            upstreamSaw.add(
                exchange.getRequestMethod()
                    + " "
                    + exchange.getRequestURI()
                    + " "
                    + exchange.getRequestHeaders().getFirst("x-caller")
                    + " "
                    + new String(body, StandardCharsets.UTF_8));
          }
          byte[] answer = "hello from upstream".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    upstream.start();
    redis = LocalRedis.start();
  }

  @AfterAll
  static void stopServices() {
    upstream.stop(0);
    redis.close();
  }

  private static HeaderMap get(String path) {
    return HeaderMap.of(":method", "GET", ":path", path, ":authority", "h.com");
  }

  private static HeaderMap post(String path) {
    return HeaderMap.of(
        ":method", "POST", ":path", path, ":authority", "h.com", "content-length", "5");
  }

  @DualModeTest
  void theMatchingConfigurationIsApplied(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
      host.callOnHttpRequestHeaders(get("/hello"), true);
      assertThat(host.getLocalResponse().orElseThrow().bodyString()).isEqualTo("hi from rule -1");
      host.completeHttp();
      host.setRouteName("special");
      host.callOnHttpRequestHeaders(get("/hello"), true);
      assertThat(host.getLocalResponse().orElseThrow().bodyString()).isEqualTo("yo from rule 0");
    }
  }

  @DualModeTest
  void badConfigurationFailsWithTheFieldNamed(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"greeting\": \"hi\", \"call_port\": \"80\"}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR))
          .containsExactly(
              "[wrapper-conformance] invalid configuration: call_port: expected an integer but got"
                  + " a string");
    }
  }

  @DualModeTest
  void requestsWithoutAMatchingConfigurationBypassEveryHandler(PluginHarness plugin) {
    try (TestHost host =
        plugin.start("{\"_rules_\": [{\"_match_route_\": [\"special\"], \"greeting\": \"yo\"}]}")) {
      assertThat(host.callOnHttpRequestHeaders(get("/hello"), true))
          .isEqualTo(HeaderAction.CONTINUE);
      assertThat(host.getLocalResponse()).isEmpty();
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "200"));
      assertThat(host.getResponseHeaders().contains("x-rule")).isFalse();
    }
  }

  @DualModeTest
  void headersHandlerChangesTheRequestAndResponse(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      assertThat(host.callOnHttpRequestHeaders(get("/other"))).isEqualTo(HeaderAction.CONTINUE);
      assertThat(host.getRequestHeaders().get("x-greeting")).contains("hi");
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "200"));
      assertThat(host.getResponseHeaders().get("x-rule")).contains("-1");
    }
  }

  @DualModeTest
  void completeBodyHandlerHoldsTheHeadersAndSeesTheWholeBody(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      assertThat(host.callOnHttpRequestHeaders(post("/echo-body")))
          .isEqualTo(HeaderAction.STOP_ITERATION);
      assertThat(host.callOnHttpRequestBody("ab".getBytes(StandardCharsets.UTF_8), false))
          .isEqualTo(DataAction.STOP_ITERATION_AND_BUFFER);
      host.callOnHttpRequestBody("cde".getBytes(StandardCharsets.UTF_8), true);
      assertThat(host.getLocalResponse().orElseThrow().bodyString())
          .isEqualTo("5 bytes, headers held: yes");
      host.completeHttp();
      // a GET opts out of body reading, so its headers are not held
      assertThat(host.callOnHttpRequestHeaders(get("/echo-body"))).isEqualTo(HeaderAction.CONTINUE);
    }
  }

  @DualModeTest
  void streamingResponseBodyIsRewrittenPerChunk(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      host.setRouteName("special");
      host.callOnHttpRequestHeaders(get("/other"), true);
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "200"));
      host.callOnHttpResponseBody("data: a\n\n".getBytes(StandardCharsets.UTF_8), false);
      host.callOnHttpResponseBody("data: b\n\n".getBytes(StandardCharsets.UTF_8), true);
      assertThat(new String(host.getForwardedResponseBody(), StandardCharsets.UTF_8))
          .isEqualTo("DATA: A\n\nDATA: B\n\n");
      host.completeHttp();
      assertThat(host.getMetric("wrapper_streams")).hasValue(1);
    }
  }

  @DualModeTest
  void httpCallsGoToTheClusterWithTheUrlsAuthority(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      host.callOnHttpRequestHeaders(get("/call"), true);
      HttpCallout call = host.getHttpCallouts().get(0);
      assertThat(call.upstream()).isEqualTo("outbound|8080||callee.dns");
      assertThat(call.headers())
          .isEqualTo(
              HeaderMap.of(
                  "x-caller",
                  "wrapper",
                  ":method",
                  "POST",
                  ":path",
                  "/api?x=1",
                  ":authority",
                  "callee.example"));
      assertThat(call.bodyString()).isEqualTo("req");
      host.callOnHttpCallResponse(HeaderMap.of(":status", "201"), "pong");
      assertThat(host.getRequestHeaders().get("x-called")).contains("201 pong");
      assertThat(host.getRequestResumes()).isEqualTo(1);
      host.completeHttp();

      host.callOnHttpRequestHeaders(get("/call-relative"), true);
      assertThat(host.getHttpCallouts().get(0).authority()).isEqualTo("callee.dns");
      assertThat(host.getHttpCallouts().get(0).path()).isEqualTo("/relative");
    }
  }

  @DualModeTest
  void anUnparsableUrlIsRefusedAndLogged(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      host.callOnHttpRequestHeaders(get("/call-bad-url"), true);
      assertThat(host.getLocalResponse().orElseThrow().statusCode()).isEqualTo(400);
      assertThat(host.getLogs(LogLevel.CRITICAL))
          .containsExactly("[wrapper-conformance] invalid raw_url:not a url");
      assertThat(host.getHttpCallouts()).isEmpty();
    }
  }

  @DualModeTest
  void redisCommandsCarryTheDatabaseAndParseReplies(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"greeting\": \"hi\", \"redis_database\": 2}")) {
      host.callOnHttpRequestHeaders(get("/redis"), true);
      RedisCallout call = host.getRedisCallouts().get(0);
      assertThat(call.upstream()).isEqualTo("outbound|6379||redis.dns?db=2");
      assertThat(call.command()).isEqualTo("INCR counter");
      assertThat(host.isRedisInitialized("outbound|6379||redis.dns?db=2")).isTrue();
      host.callOnRedisCallResponse(":5\r\n");
      assertThat(host.getRequestHeaders().get("x-counter")).contains("5");
      host.completeHttp();

      host.callOnHttpRequestHeaders(get("/redis"), true);
      host.callOnRedisCallResponse(host.getRedisCallouts().get(0).token(), 1, new byte[0]);
      assertThat(host.getRequestHeaders().get("x-counter"))
          .contains("error: redis call failed with status 1");
      host.completeHttp();

      host.callOnHttpRequestHeaders(get("/redis"), true);
      host.callOnRedisCallResponse("garbage");
      assertThat(host.getRequestHeaders().get("x-counter").orElseThrow()).startsWith("error: ");
    }
  }

  @DualModeTest
  void httpCallsReachARealServer(PluginHarness plugin) {
    URI base = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
    try (TestHost host =
        plugin.host().pluginConfiguration(CONFIG).httpUpstream("callee.dns", base).start()) {
      host.callOnHttpRequestHeaders(get("/call"), true);
      assertThat(host.getRequestHeaders().get("x-called")).contains("200 hello from upstream");
      assertThat(host.getHttpCallouts()).isEmpty();
      synchronized (upstreamSaw) {
        assertThat(upstreamSaw).contains("POST /api?x=1 wrapper req");
      }
    }
  }

  @DualModeTest
  void redisCommandsReachARealRedisServer(PluginHarness plugin) {
    String key = "counter";
    redis.command(3, "DEL", key);
    try (TestHost host =
        plugin
            .host()
            .pluginConfiguration("{\"greeting\": \"hi\", \"redis_database\": 3}")
            .redisUpstream("redis.dns", "127.0.0.1", redis.port())
            .start()) {
      for (int expected = 1; expected <= 3; expected++) {
        host.callOnHttpRequestHeaders(get("/redis"), true);
        assertThat(host.getRequestHeaders().get("x-counter")).contains(Integer.toString(expected));
        host.completeHttp();
      }
    }
    assertThat(redis.command(3, "GET", key)).isEqualTo("$1\r\n3\r\n");
    assertThat(redis.command(0, "EXISTS", key)).isEqualTo(":0\r\n");
  }

  @DualModeTest
  void aRealRedisWithAPasswordNeedsTheRightOne(PluginHarness plugin) {
    try (LocalRedis secured = LocalRedis.start("s3cret")) {
      try (TestHost host =
          plugin
              .host()
              .pluginConfiguration("{\"greeting\": \"hi\", \"redis_password\": \"s3cret\"}")
              .redisUpstream("redis.dns", "127.0.0.1", secured.port())
              .start()) {
        host.callOnHttpRequestHeaders(get("/redis"), true);
        assertThat(host.getRequestHeaders().get("x-counter")).contains("1");
      }
      try (TestHost host =
          plugin
              .host()
              .pluginConfiguration("{\"greeting\": \"hi\", \"redis_password\": \"wrong\"}")
              .redisUpstream("redis.dns", "127.0.0.1", secured.port())
              .start()) {
        host.callOnHttpRequestHeaders(get("/redis"), true);
        assertThat(host.getRequestHeaders().get("x-counter"))
            .contains("error: redis call failed with status 1");
      }
    }
  }

  @DualModeTest(modes = Mode.JVM)
  void matchConfigShowsTheParsedConfiguration(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      host.setRouteName("special");
      host.callOnHttpRequestHeaders(get("/other"), true);
      WrapperConformancePlugin.Config config =
          (WrapperConformancePlugin.Config) host.getMatchConfig().orElseThrow().config();
      assertThat(config.greeting()).isEqualTo("yo");
      assertThat(config.upperResponse()).isTrue();
      assertThat(config.callPort()).isEqualTo(8080);
    }
  }
}

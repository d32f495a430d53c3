package io.rustless.extensions.demowasm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.HttpCallout;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

@RustlessTest(plugin = DemoWasmPlugin.class)
class DemoWasmPluginTest {
  private static final String CONFIG =
      "{\"test\": \"demo\", \"redis\": {\"service_name\": \"redis.dns\", \"timeout\": 500}}";

  private static HttpServer httpbin;
  private static LocalRedis redis;

  @BeforeAll
  static void startServices() throws IOException {
    httpbin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    httpbin.createContext(
        "/post",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          byte[] answer =
              ("{\"data\":\"" + body + "\",\"method\":\"" + exchange.getRequestMethod() + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    httpbin.start();
    redis = LocalRedis.start();
  }

  @AfterAll
  static void stopServices() {
    httpbin.stop(0);
    redis.close();
  }

  private static JsonObject json(byte[] body) {
    return Json.parse(body).asObject();
  }

  private static String str(JsonObject o, String key) {
    return o.get(key).orElseThrow().toString();
  }

  @DualModeTest
  void theWholeFlowWithEmulatedRedisAndHttp(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
      assertThat(
              host.callOnHttpRequestHeaders(
                  HeaderMap.of(":method", "GET", ":path", "/", ":authority", "h"), true))
          .isEqualTo(HeaderAction.STOP_ALL_ITERATION_AND_BUFFER);
      RedisCallout incr = host.getRedisCallouts().get(0);
      assertThat(incr.upstream()).isEqualTo("outbound|6379||redis.dns");
      assertThat(incr.command()).isEqualTo("INCR connect");
      host.callOnRedisCallResponse(":7\r\n");
      assertThat(host.getRequestResumes()).isEqualTo(1);

      assertThat(
              host.callOnHttpResponseHeaders(
                  HeaderMap.of(":status", "200", "content-length", "13")))
          .isEqualTo(HeaderAction.STOP_ITERATION);
      assertThat(host.getResponseHeaders().contains("content-length")).isFalse();
      assertThat(host.getRedisCallouts().get(0).command()).isEqualTo("GET connect");
      host.callOnRedisCallResponse("$1\r\n7\r\n");
      assertThat(host.getResponseResumes()).isEqualTo(1);

      assertThat(
              host.callOnHttpResponseBody("upstream body".getBytes(StandardCharsets.UTF_8), true))
          .isEqualTo(DataAction.STOP_ITERATION_AND_BUFFER);
      HttpCallout call = host.getHttpCallouts().get(0);
      assertThat(call.upstream()).isEqualTo("outbound|80||httpbin.dns");
      assertThat(call.method()).isEqualTo("POST");
      assertThat(call.authority()).isEqualTo("httpbin.org");
      assertThat(call.path()).isEqualTo("/post");
      assertThat(call.bodyString()).isEqualTo("test_body");
      host.callOnHttpCallResponse(HeaderMap.of(":status", "200"), "{\"ok\":true}");
      JsonObject body = json(host.getResponseBody());
      assertThat(str(body, "redis_cid")).isEqualTo("7");
      assertThat(str(body, "http_call_body")).isEqualTo("\"{\\\"ok\\\":true}\"");
      assertThat(str(body, "res_body")).isEqualTo("\"upstream body\"");
      assertThat(host.getResponseResumes()).isEqualTo(2);
    }
  }

  @DualModeTest
  void aStaticRedisServiceDefaultsToPort80AndOptionsReachTheClient(PluginHarness plugin) {
    String config =
        "{\"test\": \"t\", \"redis\": {\"service_name\": \"cache.static\", \"password\": \"p\","
            + " \"username\": \"u\", \"database\": 2}}";
    try (TestHost host = plugin.start(config)) {
      host.callOnHttpRequestHeaders(HeaderMap.of(":path", "/"), true);
      assertThat(host.getRedisCallouts().get(0).upstream())
          .isEqualTo("outbound|80||cache.static?db=2");
      assertThat(host.isRedisInitialized("outbound|80||cache.static?db=2")).isTrue();
    }
  }

  @DualModeTest
  void aFailedRedisCallLetsTheRequestGoOn(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      host.callOnHttpRequestHeaders(HeaderMap.of(":path", "/"), true);
      host.callOnRedisCallResponse(host.getRedisCallouts().get(0).token(), 1, new byte[0]);
      assertThat(host.getRequestResumes()).isEqualTo(1);
      assertThat(host.getLogs(LogLevel.WARN))
          .containsExactly("[demo-wasm] redis incr failed: redis call failed with status 1");
    }
  }

  @DualModeTest
  void missingFieldsFailConfigurationNamingThem(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"redis\": {\"service_name\": \"r\"}}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR).get(0))
          .endsWith("test: required field is missing (expected a string)");
    }
    try (TestHost host = plugin.start("{\"test\": \"t\"}")) {
      assertThat(host.getLogs(LogLevel.ERROR).get(0))
          .endsWith("redis: required field is missing (expected an object)");
    }
    try (TestHost host = plugin.start("{\"test\": \"t\", \"redis\": {\"service_port\": 6379}}")) {
      assertThat(host.getLogs(LogLevel.ERROR).get(0))
          .endsWith("redis.service_name: required field is missing (expected a string)");
    }
    try (TestHost host =
        plugin.start(
            "{\"test\": \"t\", \"redis\": {\"service_name\": \"r\", \"service_port\": 70000}}")) {
      assertThat(host.getLogs(LogLevel.ERROR).get(0))
          .endsWith("redis.service_port: must be between 1 and 65535 but is 70000");
    }
  }

  @DualModeTest
  void againstRealRedisAndARealHttpServer(PluginHarness plugin) {
    redis.command("DEL", "connect");
    URI base = URI.create("http://127.0.0.1:" + httpbin.getAddress().getPort());
    try (TestHost host =
        plugin
            .host()
            .pluginConfiguration(CONFIG)
            .redisUpstream("redis.dns", "127.0.0.1", redis.port())
            .httpUpstream("httpbin.dns", base)
            .start()) {
      for (int expected = 1; expected <= 2; expected++) {
        host.callOnHttpRequestHeaders(
            HeaderMap.of(":method", "GET", ":path", "/", ":authority", "h"), true);
        assertThat(host.getRequestResumes()).isEqualTo(1);
        host.callOnHttpResponseHeaders(
            HeaderMap.of(":status", "200", "content-type", "text/plain"));
        assertThat(host.getResponseResumes()).isEqualTo(1);
        host.callOnHttpResponseBody("from upstream".getBytes(StandardCharsets.UTF_8), true);
        JsonObject body = json(host.getResponseBody());
        assertThat(str(body, "redis_cid")).isEqualTo(Integer.toString(expected));
        assertThat(Json.parse(body.get("http_call_body").orElseThrow().asString()).toString())
            .isEqualTo("{\"data\":\"test_body\",\"method\":\"POST\"}");
        assertThat(str(body, "res_body")).isEqualTo("\"from upstream\"");
        host.completeHttp();
      }
    }
    assertThat(redis.command("GET", "connect")).isEqualTo("$1\r\n2\r\n");
  }
}

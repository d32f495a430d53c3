package io.rustless.conformance;

import static io.rustless.conformance.ConformanceRequests.replyTo;
import static io.rustless.conformance.ConformanceRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.MetricType;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.GrpcCallout;
import io.rustless.testing.HttpCallout;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RedisCallout;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Shared data, queues, timers, metrics, calls out and foreign functions, in every mode. */
@RustlessTest(plugin = ConformancePlugin.class)
class HostApiConformanceTest {

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @DualModeTest
  void countsHeaders(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(replyTo(host, request("x-op", "header-count", "a", "b"))).isEqualTo("5");
    }
  }

  @DualModeTest
  void sharedDataHonoursCasTokens(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(replyTo(host, request("x-op", "shared-get", "x-key", "k"))).isEqualTo("<missing>");
      assertThat(replyTo(host, request("x-op", "shared-set", "x-key", "k", "x-value", "v1")))
          .isEqualTo("ok");
      assertThat(replyTo(host, request("x-op", "shared-get", "x-key", "k"))).isEqualTo("v1@1");
      assertThat(
              replyTo(
                  host, request("x-op", "shared-set", "x-key", "k", "x-value", "v2", "x-cas", "1")))
          .isEqualTo("ok");
      assertThat(
              replyTo(
                  host, request("x-op", "shared-set", "x-key", "k", "x-value", "v3", "x-cas", "1")))
          .isEqualTo("cas-mismatch");
      assertThat(host.getSharedData("k").map(HostApiConformanceTest::utf8)).contains("v2");
    }
  }

  @DualModeTest
  void sharedQueuesRegisterResolveEnqueueAndDequeue(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(replyTo(host, request("x-op", "queue", "x-name", "q")))
          .isEqualTo("true one two true true");
    }
  }

  @DualModeTest
  void queueReadyWakesTheRootContext(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"queue\": \"jobs\"}")) {
      host.enqueue("jobs", bytes("a"));
      assertThat(host.getSharedData("queue-seen").map(HostApiConformanceTest::utf8)).contains("a;");
      host.callOnHttpRequestHeaders(request("x-op", "enqueue", "x-name", "jobs", "x-value", "b"));
      host.completeHttp();
      assertThat(host.deliverReadyQueues()).isEqualTo(1);
      assertThat(host.getSharedData("queue-seen").map(HostApiConformanceTest::utf8)).contains("b;");
    }
  }

  @DualModeTest
  void ticksReachTheRootContext(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"tick_ms\": 50}")) {
      assertThat(host.getTickPeriod()).isEqualTo(50);
      host.tick();
      host.tick();
      host.tick();
      assertThat(host.getMetric("conformance_ticks")).hasValue(3);
    }
  }

  @DualModeTest
  void metricsCountGaugeAndRecord(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(replyTo(host, request("x-op", "metrics"))).isEqualTo("1 3 true");
      assertThat(host.getMetric("conformance_latency")).hasValue(42);
      assertThat(host.getMetricType("conformance_inflight")).contains(MetricType.GAUGE);
      assertThat(replyTo(host, request("x-op", "metrics"))).isEqualTo("2 6 true");
    }
  }

  @DualModeTest
  void foreignFunctionsBothWays(PluginHarness plugin) {
    try (TestHost host = plugin.host().vmConfiguration("vm-settings").start()) {
      host.registerForeignFunction(
          "reverse",
          in -> new StringBuilder(utf8(in)).reverse().toString().getBytes(StandardCharsets.UTF_8));
      assertThat(replyTo(host, request("x-op", "foreign", "x-name", "reverse", "x-value", "abc")))
          .isEqualTo("cba");
      host.callOnForeignFunction(3, bytes("data"));
      assertThat(host.getSharedData("foreign-3").map(HostApiConformanceTest::utf8))
          .contains("data");
      assertThat(host.getSharedData("vm-config").map(HostApiConformanceTest::utf8))
          .contains("vm-settings");
    }
  }

  @DualModeTest
  void effectiveContextAndDone(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(replyTo(host, request("x-op", "effective-context"))).isEqualTo("ok 2");
    }
  }

  @DualModeTest
  void httpCallAnswersReachTheCallingStream(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(
              host.callOnHttpRequestHeaders(
                  request(
                      "x-op",
                      "http-call",
                      "x-upstream",
                      "outbound|80||callee.dns",
                      "x-path",
                      "/q?a=1")))
          .isEqualTo(HeaderAction.STOP_ALL_ITERATION_AND_BUFFER);
      List<HttpCallout> calls = host.getHttpCallouts();
      assertThat(calls).hasSize(1);
      HttpCallout call = calls.get(0);
      assertThat(call.upstream()).isEqualTo("outbound|80||callee.dns");
      assertThat(call.method()).isEqualTo("POST");
      assertThat(call.path()).isEqualTo("/q?a=1");
      assertThat(call.authority()).isEqualTo("callee.example");
      assertThat(call.bodyString()).isEqualTo("ping");
      assertThat(call.trailers().get("x-trailer")).contains("t");
      assertThat(call.timeoutMillis()).isEqualTo(5000);

      host.callOnHttpCallResponse(
          call.token(),
          HeaderMap.of(":status", "201", "x-answer", "yes"),
          bytes("pong"),
          HeaderMap.empty());
      assertThat(host.getRequestHeaders().get("x-call-status")).contains("201");
      assertThat(host.getRequestHeaders().get("x-call-body")).contains("pong");
      assertThat(host.getRequestHeaders().get("x-call-header")).contains("yes");
      assertThat(host.getRequestResumes()).isEqualTo(1);
      assertThat(host.getHttpCallouts()).isEmpty();
    }
  }

  @DualModeTest
  void failedAndMalformedAnswersGetHigressStatusCodes(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-op", "http-call", "x-upstream", "c", "x-path", "/"));
      host.failHttpCall(host.getHttpCallouts().get(0).token());
      assertThat(host.getRequestHeaders().get("x-call-status")).contains("502");
      assertThat(host.getRequestHeaders().get("x-call-body")).contains("");
      host.completeHttp();

      host.callOnHttpRequestHeaders(request("x-op", "http-call", "x-upstream", "c", "x-path", "/"));
      host.callOnHttpCallResponse(HeaderMap.of(":status", "abc"), "x");
      assertThat(host.getRequestHeaders().get("x-call-status")).contains("500");
    }
  }

  @DualModeTest
  void rawHttpCallCallbackReadsTheAnswer(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-op", "http-call-raw", "x-upstream", "c"));
      int token = host.getHttpCallouts().get(0).token();
      host.callOnHttpCallResponse(
          token, HeaderMap.of(":status", "200"), bytes("raw"), HeaderMap.of("x-t", "tv"));
      assertThat(host.getRequestHeaders().get("x-raw-call")).contains("1 200 raw tv");
      assertThat(host.getRequestResumes()).isEqualTo(1);
    }
  }

  @DualModeTest
  void aThrowingCallbackResumesTheHeldRequest(PluginHarness plugin) {
    try (TestHost host = plugin.start("").expectPluginErrors()) {
      host.callOnHttpRequestHeaders(request("x-op", "http-call-throws", "x-upstream", "c"));
      host.callOnHttpCallResponse(HeaderMap.of(":status", "200"), "");
      assertThat(host.getRequestResumes()).isEqualTo(1);
      assertThat(host.getPluginErrors())
          .singleElement()
          .asString()
          .contains("proxy_on_http_call_response (context 2)")
          .contains("boom in http call callback");
    }
  }

  @DualModeTest
  void grpcCallDeliversMetadataMessagesTrailersAndClose(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-op", "grpc-call", "x-upstream", "grpc-cluster"));
      GrpcCallout call = host.getGrpcCallouts().get(0);
      assertThat(call.isStream()).isFalse();
      assertThat(call.serviceName()).isEqualTo("echo.Echo");
      assertThat(call.methodName()).isEqualTo("Say");
      assertThat(call.initialMetadata().get("x-md")).contains("1");
      assertThat(call.messages())
          .singleElement()
          .extracting(HostApiConformanceTest::utf8)
          .isEqualTo("hi");
      host.callOnGrpcReceiveInitialMetadata(call.token(), HeaderMap.of("x-reply-md", "m"));
      host.callOnGrpcReceive(call.token(), bytes("hello back"));
      host.callOnGrpcReceiveTrailingMetadata(call.token(), HeaderMap.of("grpc-message", "fine"));
      host.callOnGrpcClose(call.token(), 0);
      assertThat(host.getRequestHeaders().getAll("x-grpc"))
          .containsExactly("metadata m", "message hello back", "trailers fine", "close 0");
      assertThat(host.getRequestResumes()).isEqualTo(1);
    }
  }

  @DualModeTest
  void grpcStreamsSendCloseAndCancel(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-op", "grpc-stream", "x-upstream", "g"), true);
      List<GrpcCallout> calls = host.getGrpcCallouts();
      assertThat(calls).hasSize(2);
      GrpcCallout chat = calls.get(0);
      assertThat(chat.isStream()).isTrue();
      assertThat(chat.messages())
          .extracting(HostApiConformanceTest::utf8)
          .containsExactly("m1", "m2");
      assertThat(chat.endOfStream()).isTrue();
      assertThat(chat.closed()).isTrue();
      assertThat(calls.get(1).cancelled()).isTrue();
      assertThat(host.getLocalResponse().orElseThrow().bodyString())
          .isEqualTo(chat.token() + " " + calls.get(1).token());
    }
  }

  @DualModeTest
  void redisCallsAreRespAndAnsweredToTheCaller(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(
          request("x-op", "redis", "x-upstream", "outbound|6379||redis.dns"));
      assertThat(host.isRedisInitialized("outbound|6379||redis.dns")).isTrue();
      RedisCallout call = host.getRedisCallouts().get(0);
      assertThat(call.command()).isEqualTo("GET k");
      host.callOnRedisCallResponse("$5\r\nvalue\r\n");
      assertThat(host.getRequestHeaders().get("x-redis")).contains("0 $5|value|");
      assertThat(host.getRequestResumes()).isEqualTo(1);
    }
  }

  @DualModeTest
  void redisBeforeInitIsRefused(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      assertThat(replyTo(host, request("x-op", "redis-uninitialised")))
          .isEqualTo("refused BAD_ARGUMENT");
    }
  }

  @DualModeTest
  void grpcLocalReply(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-op", "grpc-reply"), true);
      LocalResponse reply = host.getLocalResponse().orElseThrow();
      assertThat(reply.statusCode()).isEqualTo(200);
      assertThat(reply.grpcStatus()).isEqualTo(7);
      assertThat(reply.statusDetails()).isEqualTo("permission denied");
      assertThat(reply.headers().get("x-why")).contains("test");
    }
  }

  @DualModeTest
  void bodiesCanBeSplicedInPlace(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-body-op", "splice"));
      host.callOnHttpRequestBody(bytes("hello "), false);
      host.callOnHttpRequestBody(bytes("world"), true);
      assertThat(utf8(host.getForwardedRequestBody())).isEqualTo("HOWDY world");
      host.completeHttp();

      host.callOnHttpRequestHeaders(request("x-response-op", "splice"));
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "200"));
      host.callOnHttpResponseBody(bytes("done"), true);
      assertThat(utf8(host.getForwardedResponseBody())).isEqualTo("done!");
    }
  }

  @DualModeTest
  void trailersCanBeAddedRemovedAndReplaced(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-body-op", "trailers"));
      host.callOnHttpRequestTrailers(HeaderMap.of("t1", "a", "t2", "b"));
      assertThat(host.getRequestTrailers())
          .isEqualTo(HeaderMap.of("t1", "a", "x-seen-trailers", "2", "x-added", "a"));
      host.completeHttp();

      host.callOnHttpRequestHeaders(request("x-body-op", "replace-trailers"));
      host.callOnHttpRequestTrailers(HeaderMap.of("t1", "a"));
      assertThat(host.getRequestTrailers()).isEqualTo(HeaderMap.of("only", "this"));
      host.completeHttp();

      host.callOnHttpRequestHeaders(request("x-response-op", "trailers"));
      host.callOnHttpResponseTrailers(HeaderMap.of("grpc-status", "0", "drop-me", "x"));
      assertThat(host.getResponseTrailers())
          .isEqualTo(HeaderMap.of("grpc-status", "0", "x-grpc-checked", "0", "x-more", "1"));
      host.completeHttp();

      host.callOnHttpRequestHeaders(request("x-response-op", "replace-trailers"));
      host.callOnHttpResponseTrailers(HeaderMap.of("a", "1", "b", "2"));
      assertThat(host.getResponseTrailers()).isEqualTo(HeaderMap.of("only", "2"));
    }
  }

  @DualModeTest
  void responseHeadersTakeRawBytesAndWholeMaps(PluginHarness plugin) {
    try (TestHost host = plugin.start("")) {
      host.callOnHttpRequestHeaders(request("x-response-op", "bytes-headers"));
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "200"));
      HeaderMap headers = host.getResponseHeaders();
      assertThat(headers.getAll("x-raw")).containsExactly("\uFFFDa", "b");
      assertThat(headers.valueBytes(1)).containsExactly(0xFF, 'a');
      assertThat(headers.get("x-all")).contains("set");
    }
  }
}

package io.rustless.extensions.requestblock;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Higress's end-to-end test of its Rust request-block, case by case: {@code
 * test/e2e/conformance/tests/rust-wasm-request-block.go} (alibaba/higress @ 4e0d6914) with the
 * WasmPlugin of {@code rust-wasm-request-block.yaml} lines 57–72, whose {@code defaultConfig} the
 * Higress controller hands to the plugin as it is (no matchRules, so no {@code _rules_}). The
 * Ingresses route {@code foo.com} to an echo-request backend and {@code foo2.com} to an echo-body
 * backend; here the test host plays both.
 */
@RustlessTest(plugin = RequestBlockPlugin.class)
class HigressEndToEndTest {
  /** rust-wasm-request-block.yaml lines 63–71, as JSON. */
  static final String CONFIG =
      """
      {"block_urls": ["swagger.html"],
       "block_regexp_urls": ["/env.*"],
       "block_exact_urls": ["/web/info"],
       "block_bodies": ["hello world"]}
      """;

  private static Optional<LocalResponse> get(TestHost host, String path) {
    host.callOnHttpRequestHeaders(
        HeaderMap.of(":method", "GET", ":path", path, ":authority", "foo.com"), true);
    return host.getLocalResponse();
  }

  /** A POST with a text/plain body, as the e2e's http.Request sends it. */
  private static Optional<LocalResponse> post(TestHost host, String authority, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HeaderAction headers =
        host.callOnHttpRequestHeaders(
            HeaderMap.of(
                ":method",
                "POST",
                ":path",
                "/foo",
                ":authority",
                authority,
                "content-type",
                "text/plain",
                "content-length",
                Integer.toString(bytes.length)),
            false);
    assertThat(headers).isEqualTo(HeaderAction.STOP_ITERATION); // held until the body is checked
    DataAction action = host.callOnHttpRequestBody(bytes, true);
    Optional<LocalResponse> reply = host.getLocalResponse();
    assertThat(action)
        .isEqualTo(reply.isPresent() ? DataAction.STOP_ITERATION_AND_BUFFER : DataAction.CONTINUE);
    return reply;
  }

  private static void assertBlocked(Optional<LocalResponse> reply) {
    assertThat(reply).isPresent();
    assertThat(reply.get().statusCode()).isEqualTo(403); // blocked_code's default
    assertThat(reply.get().bodyString()).isEmpty(); // blocked_message's default
  }

  @DualModeTest
  void theConfigurationIsAccepted(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
      assertThat(host.getLogs()).isEmpty();
    }
  }

  /** rust-wasm-request-block.go lines 35–52: GET foo.com/swagger.html → 403 (block_urls). */
  @DualModeTest
  void case1SwaggerHtmlIsBlocked(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      assertBlocked(get(host, "/swagger.html"));
    }
  }

  /** rust-wasm-request-block.go lines 53–70: GET foo.com/env/info → 403 (block_regexp_urls). */
  @DualModeTest
  void case2EnvInfoIsBlockedByTheRegexp(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      assertBlocked(get(host, "/env/info"));
    }
  }

  /** rust-wasm-request-block.go lines 71–88: GET foo.com/web/info → 403 (block_exact_urls). */
  @DualModeTest
  void case3WebInfoIsBlockedExactly(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      assertBlocked(get(host, "/web/info"));
    }
  }

  /** rust-wasm-request-block.go lines 89–110: POST foo.com/foo "hello world" → 403. */
  @DualModeTest
  void case4HelloWorldBodyIsBlocked(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      assertBlocked(post(host, "foo.com", "hello world"));
      assertThat(host.getForwardedRequestBody()).isEmpty(); // the upstream never saw it
    }
  }

  /**
   * rust-wasm-request-block.go lines 111–133: POST foo.com/foo "hello higress" → 200, and the
   * backend receives the request as sent (CompareTargetRequest).
   */
  @DualModeTest
  void case5HelloHigressReachesTheBackendUnchanged(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      assertThat(post(host, "foo.com", "hello higress")).isEmpty();
      assertThat(new String(host.getForwardedRequestBody(), StandardCharsets.UTF_8))
          .isEqualTo("hello higress");
      HeaderMap forwarded = host.getRequestHeaders();
      assertThat(forwarded.get(":path")).contains("/foo");
      assertThat(forwarded.get(":authority")).contains("foo.com");
      assertThat(forwarded.get("content-type")).contains("text/plain");
      assertThat(forwarded.get("content-length")).contains("13");
    }
  }

  /**
   * rust-wasm-request-block.go lines 134–158: POST foo2.com/foo "hello higress" → 200 with the
   * echo-body backend's answer, text/plain "hello higress" (CompareTargetResponse).
   */
  @DualModeTest
  void case6TheEchoedBodyComesBackUnchanged(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      assertThat(post(host, "foo2.com", "hello higress")).isEmpty();
      byte[] echoed = host.getForwardedRequestBody();
      assertThat(
              host.callOnHttpResponseHeaders(
                  HeaderMap.of(
                      ":status",
                      "200",
                      "content-type",
                      "text/plain",
                      "content-length",
                      Integer.toString(echoed.length)),
                  false))
          .isEqualTo(HeaderAction.CONTINUE);
      assertThat(host.callOnHttpResponseBody(echoed, true)).isEqualTo(DataAction.CONTINUE);
      assertThat(host.getResponseHeaders().get(":status")).contains("200");
      assertThat(host.getResponseHeaders().get("content-type")).contains("text/plain");
      assertThat(new String(host.getForwardedResponseBody(), StandardCharsets.UTF_8))
          .isEqualTo("hello higress");
    }
  }
}

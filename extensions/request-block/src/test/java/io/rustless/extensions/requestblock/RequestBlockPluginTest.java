package io.rustless.extensions.requestblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

@RustlessTest(plugin = RequestBlockPlugin.class)
class RequestBlockPluginTest {
  private static HeaderMap get(String path, String... extra) {
    HeaderMap.Builder b =
        HeaderMap.builder().add(":method", "GET").add(":path", path).add(":authority", "h.com");
    for (int i = 0; i < extra.length; i += 2) {
      b.add(extra[i], extra[i + 1]);
    }
    return b.build();
  }

  private static HeaderMap post(String path) {
    return HeaderMap.of(
        ":method", "POST", ":path", path, ":authority", "h.com", "content-type", "text/plain");
  }

  private static Optional<LocalResponse> send(TestHost host, HeaderMap headers) {
    host.callOnHttpRequestHeaders(headers, true);
    Optional<LocalResponse> reply = host.getLocalResponse();
    host.completeHttp();
    return reply;
  }

  private static int status(TestHost host, HeaderMap headers) {
    return send(host, headers).map(LocalResponse::statusCode).orElse(200);
  }

  private static Optional<LocalResponse> sendBody(TestHost host, String... chunks) {
    host.callOnHttpRequestHeaders(post("/submit"));
    for (int i = 0; i < chunks.length; i++) {
      host.callOnHttpRequestBody(
          chunks[i].getBytes(StandardCharsets.UTF_8), i == chunks.length - 1);
      if (host.getLocalResponse().isPresent()) {
        break;
      }
    }
    Optional<LocalResponse> reply = host.getLocalResponse();
    return reply;
  }

  @DualModeTest
  void exactSubstringAndRegexpUrlsAreCheckedInThatOrder(PluginHarness plugin) {
    String config =
        "{\"block_exact_urls\": [\"/a\"], \"block_urls\": [\"admin\"],"
            + " \"block_regexp_urls\": [\"^/api/v[0-9]+/internal\"], \"blocked_code\": 404}";
    try (TestHost host = plugin.start(config)) {
      assertThat(status(host, get("/a"))).isEqualTo(404);
      assertThat(status(host, get("/ab"))).isEqualTo(200);
      assertThat(status(host, get("/x/admin/y"))).isEqualTo(404);
      assertThat(status(host, get("/api/v2/internal/keys"))).isEqualTo(404);
      assertThat(status(host, get("/api/vx/internal"))).isEqualTo(200);
      assertThat(send(host, get("/a")).orElseThrow().bodyString()).isEmpty();
    }
  }

  @DualModeTest
  void caseSensitiveByDefault(PluginHarness plugin) {
    try (TestHost host =
        plugin.start("{\"block_urls\": [\"Admin\"], \"block_headers\": [\"Evil\"]}")) {
      assertThat(status(host, get("/Admin"))).isEqualTo(403);
      assertThat(status(host, get("/admin"))).isEqualTo(200);
      assertThat(status(host, get("/", "x-tag", "Evil"))).isEqualTo(403);
      assertThat(status(host, get("/", "x-tag", "evil"))).isEqualTo(200);
    }
  }

  @DualModeTest
  void caseInsensitiveFoldsPatternsAndInput(PluginHarness plugin) {
    String config =
        "{\"case_sensitive\": false, \"block_urls\": [\"Admin\"], \"block_exact_urls\": [\"/Login\"],"
            + " \"block_regexp_urls\": [\"SECRET[0-9]\"], \"block_headers\": [\"BadBot\"],"
            + " \"block_bodies\": [\"DROP Table\"]}";
    try (TestHost host = plugin.start(config)) {
      assertThat(status(host, get("/ADMIN"))).isEqualTo(403);
      assertThat(status(host, get("/admin"))).isEqualTo(403);
      assertThat(status(host, get("/LOGIN"))).isEqualTo(403);
      assertThat(status(host, get("/x/secret7"))).isEqualTo(403);
      assertThat(status(host, get("/", "user-agent", "badbot/1.0"))).isEqualTo(403);
      assertThat(sendBody(host, "select 1; drop TABLE users")).isPresent();
    }
  }

  @DualModeTest
  void headersAreMatchedAsNameAndValueLines(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"block_headers\": [\"x-debug\\ntrue\"]}")) {
      assertThat(status(host, get("/", "x-debug", "true"))).isEqualTo(403);
      assertThat(status(host, get("/", "x-debug", "false"))).isEqualTo(200);
      assertThat(status(host, get("/", "x-other", "true"))).isEqualTo(200);
    }
  }

  @DualModeTest
  void aCleanBodyIsHeldUntilCheckedThenPassedIntact(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"block_bodies\": [\"attack\"]}")) {
      assertThat(host.callOnHttpRequestHeaders(post("/p"))).isEqualTo(HeaderAction.STOP_ITERATION);
      assertThat(host.callOnHttpRequestBody("harmless ".getBytes(StandardCharsets.UTF_8), false))
          .isEqualTo(DataAction.STOP_ITERATION_AND_BUFFER);
      assertThat(host.getForwardedRequestBody()).isEmpty();
      assertThat(host.callOnHttpRequestBody("payload".getBytes(StandardCharsets.UTF_8), true))
          .isEqualTo(DataAction.CONTINUE);
      assertThat(new String(host.getForwardedRequestBody(), StandardCharsets.UTF_8))
          .isEqualTo("harmless payload");
      host.completeHttp();
      // without a body the headers go on at once
      assertThat(host.callOnHttpRequestHeaders(get("/g"), true)).isEqualTo(HeaderAction.CONTINUE);
    }
  }

  @DualModeTest
  void aBodyPatternSplitAcrossChunksIsCaught(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"block_bodies\": [\"hello world\"]}")) {
      assertThat(sendBody(host, "say hel", "lo wo", "rld now"))
          .map(LocalResponse::statusCode)
          .contains(403);
      assertThat(host.getForwardedRequestBody()).isEmpty();
      host.completeHttp();
      String body = "xhello world";
      String[] bytes = new String[body.length()];
      for (int i = 0; i < body.length(); i++) {
        bytes[i] = body.substring(i, i + 1);
      }
      assertThat(sendBody(host, bytes)).isPresent();
    }
  }

  @DualModeTest
  void oddBodiesNeverTrap(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"block_bodies\": [\"needle\"]}")) {
      host.callOnHttpRequestHeaders(post("/p"));
      host.callOnHttpRequestBody(new byte[0], true);
      assertThat(host.getLocalResponse()).isEmpty();
      host.completeHttp();

      host.callOnHttpRequestHeaders(post("/p"));
      host.callOnHttpRequestBody(
          new byte[] {(byte) 0xFF, 0, (byte) 0xC3, 'n', 'e', 'e', 'd', 'l', 'e'}, true);
      assertThat(host.getLocalResponse()).isPresent();
      host.completeHttp();

      byte[] big = new byte[32 << 20];
      Arrays.fill(big, (byte) 'x');
      host.callOnHttpRequestHeaders(post("/big"));
      assertThat(host.callOnHttpRequestBody(big, true)).isEqualTo(DataAction.CONTINUE);
      assertThat(host.getLocalResponse()).isEmpty();
      host.completeHttp();

      byte[] tail = "needle".getBytes(StandardCharsets.UTF_8);
      System.arraycopy(tail, 0, big, big.length - tail.length, tail.length);
      host.callOnHttpRequestHeaders(post("/big"));
      host.callOnHttpRequestBody(big, true);
      assertThat(host.getLocalResponse()).isPresent();
      assertThat(host.getPluginErrors()).isEmpty();
    }
  }

  @DualModeTest
  void rulesApplyPerRoute(PluginHarness plugin) {
    String config =
        "{\"block_urls\": [\"/private\"],"
            + " \"_rules_\": [{\"_match_route_\": [\"admin\"], \"block_urls\": [\"/\"],"
            + " \"blocked_code\": 401, \"blocked_message\": \"admins only\"}]}";
    try (TestHost host = plugin.start(config)) {
      assertThat(status(host, get("/private"))).isEqualTo(403);
      assertThat(status(host, get("/public"))).isEqualTo(200);
      host.setRouteName("admin");
      LocalResponse reply = send(host, get("/public")).orElseThrow();
      assertThat(reply.statusCode()).isEqualTo(401);
      assertThat(reply.bodyString()).isEqualTo("admins only");
    }
  }

  @DualModeTest
  void unmatchedRequestsAreNotChecked(PluginHarness plugin) {
    try (TestHost host =
        plugin.start(
            "{\"_rules_\": [{\"_match_domain_\": [\"a.com\"], \"block_urls\": [\"/\"]}]}")) {
      assertThat(status(host, get("/anything"))).isEqualTo(200);
    }
  }

  @DualModeTest
  void aCatastrophicPatternCannotHangTheGateway(PluginHarness plugin) {
    // /(a+)+$ against "/aaa…a!" takes exponential time in a backtracking engine
    try (TestHost host = plugin.start("{\"block_regexp_urls\": [\"/(a+)+$\"]}")) {
      String path = "/" + "a".repeat(50_000) + "!";
      long start = System.nanoTime();
      int status = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> status(host, get(path)));
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.println(plugin.mode() + ": 50,001-byte crafted path checked in " + millis + " ms");
      assertThat(status).isEqualTo(200);
      assertThat(status(host, get("/" + "a".repeat(50_000)))).isEqualTo(403);
    }
  }

  @DualModeTest
  void anInvalidRegexpFailsConfigurationNamingThePattern(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"block_regexp_urls\": [\"^/ok$\", \"(unclosed\"]}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR).get(0))
          .startsWith(
              "[request-block] invalid configuration: block_regexp_urls[1]: invalid regular"
                  + " expression '(unclosed': ");
    }
  }

  @DualModeTest
  void badFieldsFailConfiguration(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"blocked_code\": 999}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR))
          .containsExactly(
              "[request-block] invalid configuration: blocked_code: must be between 100 and 599 but"
                  + " is 999");
    }
    try (TestHost host = plugin.start("{\"block_urls\": \"/admin\"}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
      assertThat(host.getLogs(LogLevel.ERROR))
          .containsExactly(
              "[request-block] invalid configuration: block_urls: expected an array but got a"
                  + " string");
    }
  }

  @DualModeTest
  void aConfigurationThatBlocksNothingFailsSayingSo(PluginHarness plugin) {
    String nothing =
        "nothing to block: set a non-empty block_urls, block_exact_urls, block_regexp_urls,"
            + " block_headers or block_bodies (empty strings do not count), or"
            + " block_escaped_slashes: true";
    String[][] cases = {
      {"", ""},
      {"{}", ""},
      {"{\"_rules_\": []}", ""},
      {"{\"blocked_code\": 401, \"blocked_message\": \"no\", \"case_sensitive\": false}", ""},
      {"{\"block_urls\": [\"\"], \"block_regexp_urls\": [\"\"], \"block_bodies\": [\"\"]}", ""},
      {"{\"block_escaped_slashes\": false, \"normalize_path\": true}", ""},
      // a global part that blocks nothing, even with rules that do (Higress's Go plugin drops it
      // silently; here it is an error, as every global part that fails to parse)
      {
        "{\"blocked_code\": 401, \"_rules_\": [{\"_match_route_\": [\"r\"], \"block_urls\": [\"/\"]}]}",
        ""
      },
      {
        "{\"block_urls\": [\"/x\"], \"_rules_\": [{\"_match_route_\": [\"r\"], \"block_urls\": [\"/\"]},"
            + " {\"_match_domain_\": [\"a.com\"], \"blocked_code\": 401}]}",
        "_rules_[1]: "
      },
    };
    for (String[] c : cases) {
      try (TestHost host = plugin.start(c[0])) {
        assertThat(host.startStatus()).as(c[0]).isEqualTo(StartStatus.FAILED);
        assertThat(host.getLogs(LogLevel.ERROR))
            .as(c[0])
            .containsExactly("[request-block] invalid configuration: " + c[1] + nothing);
      }
    }
    // rules alone need no global part; each pattern kind alone is enough
    for (String ok :
        new String[] {
          "{\"_rules_\": [{\"_match_route_\": [\"r\"], \"block_urls\": [\"/\"]}]}",
          "{\"block_urls\": [\"a\"]}",
          "{\"block_exact_urls\": [\"/a\"]}",
          "{\"block_regexp_urls\": [\"a\"]}",
          "{\"block_headers\": [\"a\"]}",
          "{\"block_bodies\": [\"a\"]}",
          "{\"block_escaped_slashes\": true}"
        }) {
      try (TestHost host = plugin.start(ok)) {
        assertThat(host.startStatus()).as(ok).isEqualTo(StartStatus.OK);
      }
    }
  }

  @DualModeTest
  void anEmptyRegexpIsIgnoredLikeEveryEmptyPattern(PluginHarness plugin) {
    // "" would match every path: the README says empty strings are ignored, and the Go plugin
    // skips them too
    try (TestHost host = plugin.start("{\"block_regexp_urls\": [\"\", \"^/x$\"]}")) {
      assertThat(status(host, get("/y"))).isEqualTo(200);
      assertThat(status(host, get("/x"))).isEqualTo(403);
    }
  }

  @DualModeTest
  void aRequestWithoutPathIsLetThroughWithAWarning(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"block_urls\": [\"x\"]}")) {
      host.callOnHttpRequestHeaders(HeaderMap.of(":authority", "h.com"), true);
      assertThat(host.getLocalResponse()).isEmpty();
      assertThat(host.getLogs(LogLevel.WARN)).containsExactly("[request-block] get path failed");
    }
  }
}

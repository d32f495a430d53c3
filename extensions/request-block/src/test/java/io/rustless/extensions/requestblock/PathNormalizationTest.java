package io.rustless.extensions.requestblock;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;

/**
 * Spelling a path differently must not get it past a URL pattern. The first four cases are the
 * bypasses issue 16 found in Higress's plugin (which sees {@code :path} raw: Higress sets neither
 * Envoy's {@code normalize_path} nor {@code merge_slashes}); the rest are their neighbours.
 */
@RustlessTest(plugin = RequestBlockPlugin.class)
class PathNormalizationTest {
  /** The patterns of Higress's end-to-end test (rust-wasm-request-block.yaml), answered 403. */
  private static final String E2E_PATTERNS =
      "\"block_urls\": [\"swagger.html\"], \"block_regexp_urls\": [\"/env.*\"],"
          + " \"block_exact_urls\": [\"/web/info\"]";

  private static final String CONFIG = "{" + E2E_PATTERNS + "}";

  /** path, status with normalisation (the default), status with normalize_path: false, why. */
  private static final String[][] CASES = {
    // the bypasses of the issue
    {"/%73wagger.html", "403", "200", "issue: %73 is 's' (unreserved, decoded)"},
    {"/web/./info", "403", "200", "issue: '.' segment removed"},
    {"//web//info", "403", "200", "issue: repeated slashes merged"},
    {"/%65nv/x", "403", "200", "issue: %65 is 'e', then /env.* matches"},
    // neighbours: other encodings of unreserved characters
    {"/%53wagger.html", "200", "200", "%53 is 'S': case-sensitive by default"},
    {"/web/%69%6E%66%6F", "403", "200", "every letter encoded, upper-case hex"},
    {"/web/%69%6e%66%6f", "403", "200", "lower-case hex"},
    {"/%7eenv", "200", "200", "%7E is '~': /~env is not /env"},
    {"/%2Fenv", "200", "200", "%2F stays encoded: no /env in /%2Fenv"},
    // neighbours: dot segments, encoded or not, and where they lead
    {"/web/x/../info", "403", "200", "'..' takes the segment before it"},
    {"/web/info/../info", "403", "200", "back and forth"},
    {"/web/%2e/info", "403", "200", "%2E is '.', then removed"},
    {"/x/%2E%2E/web/info", "403", "200", "encoded '..'"},
    {"/x/.%2e/web/info", "403", "200", "half-encoded '..'"},
    {"/../../web/info", "403", "200", "'..' above the root stays at the root"},
    {"/./env", "403", "403", "/env.* matches the raw /./env too (unanchored)"},
    {"/x/..%2Fweb/info", "200", "200", "'..%2F' is no dot segment: %2F is data"},
    {"/web/info/.", "200", "200", "ends as /web/info/: a trailing slash is another path"},
    {"/web/info/", "200", "200", "trailing slash: not the exact path (use a regexp)"},
    {"/.well-known/x", "200", "200", "a segment that starts with a dot is no dot segment"},
    // neighbours: slashes
    {"/web///info", "403", "200", "three slashes"},
    {"/web/info//", "200", "200", "/web/info/ after merging: still not exact"},
    {"///%65nv", "403", "200", "merge and decode together"},
    // the query is kept as it is, and an exact pattern without '?' sees the path only
    {"/web/info?x=1", "403", "200", "exact path with a query"},
    {"/web/info?", "403", "200", "exact path with an empty query"},
    {"/web/./info?a=/../b", "403", "200", "the query's dots are not touched"},
    {"/ok?file=swagger.html", "403", "403", "substrings search the query too, as Higress's do"},
    {"/ok?file=%73wagger.html", "200", "200", "the query is not decoded"},
    {"/ok?next=/web/info", "200", "200", "an exact path in the query is no exact path"},
    // targets that are no absolute path are matched raw
    {"*", "200", "200", "OPTIONS *"},
    {"web/./info", "200", "200", "no leading slash: left alone"},
  };

  private static int status(TestHost host, String path) {
    host.callOnHttpRequestHeaders(
        HeaderMap.of(":method", "GET", ":path", path, ":authority", "foo.com"), true);
    int status = host.getLocalResponse().map(LocalResponse::statusCode).orElse(200);
    host.completeHttp();
    return status;
  }

  @DualModeTest
  void bypassesAndTheirNeighbours(PluginHarness plugin) {
    SoftAssertions soft = new SoftAssertions();
    try (TestHost on = plugin.start(CONFIG)) {
      assertThat(on.startStatus()).isEqualTo(StartStatus.OK);
      for (String[] c : CASES) {
        soft.assertThat(status(on, c[0]))
            .as("normalised: %s (%s)", c[0], c[3])
            .isEqualTo(num(c[1]));
      }
      soft.assertThat(on.getPluginErrors()).isEmpty();
    }
    try (TestHost off = plugin.start("{\"normalize_path\": false, " + E2E_PATTERNS + "}")) {
      assertThat(off.startStatus()).isEqualTo(StartStatus.OK);
      for (String[] c : CASES) {
        soft.assertThat(status(off, c[0])).as("raw: %s (%s)", c[0], c[3]).isEqualTo(num(c[2]));
      }
      soft.assertThat(off.getPluginErrors()).isEmpty();
    }
    soft.assertAll();
  }

  private static int num(String s) {
    return Integer.parseInt(s);
  }

  @DualModeTest
  void slashesAreMergedBeforeAndAfterDotSegmentsAreRemoved(PluginHarness plugin) {
    // /a//../b is /b to Go's path.Clean, Tomcat and nginx, and /a/b to Envoy: both are blocked
    try (TestHost host = plugin.start("{\"block_exact_urls\": [\"/b\", \"/c/d\"]}")) {
      assertThat(status(host, "/a//../b")).isEqualTo(403);
      assertThat(status(host, "/c//../d")).isEqualTo(403);
      assertThat(status(host, "/c//../e")).isEqualTo(200);
    }
  }

  @DualModeTest
  void patternsAreNormalisedLikePaths(PluginHarness plugin) {
    String config =
        "{\"block_exact_urls\": [\"/%7Euser/./home\", \"/q?x=%41\"], \"block_urls\": [\"%2e%2e\"]}";
    try (TestHost host = plugin.start(config)) {
      assertThat(status(host, "/~user/home")).isEqualTo(403);
      assertThat(status(host, "/%7euser/home")).isEqualTo(403);
      assertThat(status(host, "/%7Euser/./home")).isEqualTo(403);
      // a pattern with a query is compared with path and query; the query as written
      assertThat(status(host, "/q?x=%41")).isEqualTo(403);
      assertThat(status(host, "/q?x=A")).isEqualTo(200);
      assertThat(status(host, "/q")).isEqualTo(200);
      // a substring is no path: only its encodings are normalised; '..' in the raw path matches
      assertThat(status(host, "/a/../b")).isEqualTo(403);
      assertThat(status(host, "/a/%2E%2E/b")).isEqualTo(403);
      assertThat(status(host, "/a/b..c")).isEqualTo(403);
      assertThat(status(host, "/a/b")).isEqualTo(200);
    }
  }

  @DualModeTest
  void rawPatternsKeepMatchingTheRawPath(PluginHarness plugin) {
    // normalisation only adds matches: what Higress's plugin blocks is still blocked
    String config =
        "{\"block_urls\": [\"/./\", \"//\"], \"block_exact_urls\": [\"/a/../b\"],"
            + " \"block_regexp_urls\": [\"\\\\.\\\\./\"]}";
    try (TestHost host = plugin.start(config)) {
      assertThat(status(host, "/x/./y")).isEqualTo(403);
      assertThat(status(host, "/x//y")).isEqualTo(403);
      assertThat(status(host, "/a/../b")).isEqualTo(403);
      assertThat(status(host, "/x/../y")).isEqualTo(403);
      assertThat(status(host, "/x/y")).isEqualTo(200);
    }
  }

  @DualModeTest
  void caseInsensitiveMatchingFoldsAfterDecoding(PluginHarness plugin) {
    String config = "{\"case_sensitive\": false, " + E2E_PATTERNS + "}";
    try (TestHost host = plugin.start(config)) {
      assertThat(status(host, "/%53WAGGER.HTML")).isEqualTo(403);
      assertThat(status(host, "/WEB/./%49NFO")).isEqualTo(403);
      assertThat(status(host, "//ENV")).isEqualTo(403);
      assertThat(status(host, "/%2fenv")).isEqualTo(200);
    }
  }

  @DualModeTest
  void escapedSlashesAreKeptByDefaultAndBlockedWhenConfigured(PluginHarness plugin) {
    String[] escaped = {"/web%2Finfo", "/web%2finfo", "/web%5Cinfo", "/web%5cinfo", "/web\\info"};
    try (TestHost keep = plugin.start(CONFIG)) {
      for (String path : escaped) {
        assertThat(status(keep, path)).as(path).isEqualTo(200);
      }
    }
    String blocking =
        "{\"block_escaped_slashes\": true, \"blocked_code\": 400,"
            + " \"blocked_message\": \"encoded separator\", "
            + E2E_PATTERNS
            + "}";
    try (TestHost block = plugin.start(blocking)) {
      for (String path : escaped) {
        assertThat(status(block, path)).as(path).isEqualTo(400);
      }
      block.callOnHttpRequestHeaders(HeaderMap.of(":path", "/a%2Fb", ":authority", "h"), true);
      assertThat(block.getLocalResponse().orElseThrow().bodyString())
          .isEqualTo("encoded separator");
      block.completeHttp();
      // only the path: a query may carry encoded slashes (redirect targets)
      assertThat(status(block, "/login?next=%2Fhome%5C")).isEqualTo(200);
      assertThat(status(block, "/a%2")).isEqualTo(200);
      assertThat(status(block, "/swagger.html")).isEqualTo(400);
    }
    // on its own it is something to block
    try (TestHost host = plugin.start("{\"block_escaped_slashes\": true}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
      assertThat(status(host, "/a%2Fb")).isEqualTo(403);
      assertThat(status(host, "/a/b")).isEqualTo(200);
    }
  }

  @DualModeTest
  void oddPathsNeverTrap(PluginHarness plugin) {
    List<String> odd = new ArrayList<>();
    for (String p :
        new String[] {
          "",
          "/",
          "%",
          "/%",
          "/%%",
          "/%4",
          "/%G1",
          "/%%41",
          "/%2541",
          "/.",
          "/..",
          "/...",
          "//",
          "/./../.././/",
          "?",
          "/?",
          "/?%",
          "/\u00e9/%C3%A9",
          "/\uFFFD",
          "/a%00b",
          "/%7",
          ".."
        }) {
      odd.add(p);
    }
    // Envoy's default limit for all request headers together is 60 KiB
    odd.add("/" + "./".repeat(30_000) + "web/info");
    odd.add("/" + "../".repeat(20_000) + "web/info");
    odd.add("/" + "a/".repeat(20_000) + "../".repeat(20_000) + "env");
    odd.add("/" + "%41".repeat(20_000));
    odd.add("/" + "/".repeat(60_000) + "web/info");
    try (TestHost host = plugin.start(CONFIG)) {
      for (String p : odd) {
        int status = status(host, p);
        assertThat(status).as(p.length() > 40 ? p.substring(0, 40) + "…" : p).isIn(200, 403);
      }
      assertThat(status(host, "/" + "./".repeat(30_000) + "web/info")).isEqualTo(403);
      assertThat(status(host, "/" + "/".repeat(60_000) + "web/info")).isEqualTo(403);
      assertThat(status(host, "/" + "a/".repeat(20_000) + "../".repeat(20_000) + "env"))
          .isEqualTo(403);
      // a path that is not UTF-8 is matched as the SDK decodes it (U+FFFD), without a trap
      host.callOnHttpRequestHeaders(
          HeaderMap.builder()
              .add(":path", new byte[] {'/', (byte) 0xFF, '/', '.', '.', '/', 'e', 'n', 'v'})
              .add(":authority", "foo.com")
              .build(),
          true);
      assertThat(host.getLocalResponse()).map(LocalResponse::statusCode).contains(403);
      host.completeHttp();
      assertThat(host.getPluginErrors()).isEmpty();
    }
  }

  @DualModeTest
  void theNormalisedPathIsOnlyForMatching(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      host.callOnHttpRequestHeaders(
          HeaderMap.of(":method", "GET", ":path", "/a/./b//%63?q=%2e", ":authority", "foo.com"),
          true);
      assertThat(host.getLocalResponse()).isEmpty();
      // upstream gets the request as it came: the plugin never rewrites :path
      assertThat(host.getRequestHeaders().get(":path")).contains("/a/./b//%63?q=%2e");
    }
  }
}

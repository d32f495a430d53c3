package io.rustless.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.fixture.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OCI distribution API at the HTTP level, every path and refusal, against Debian's
 * docker-registry (CNCF distribution 2.8) and the embedded registry alike: where the two answer the
 * same, the embedded one is held to the reference implementation; where they differ (single-POST
 * uploads, referrers, tag deletion, which distribution 2.8 lacks) the test says so.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestRegistry.Kind.class)
class RegistryProtocolTest {
  @Parameter TestRegistry.Kind kind;

  static TestRegistry anonymous;
  static TestRegistry authenticated;
  static HttpClient http;

  @BeforeAll
  static void client() {
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  @BeforeParameterizedClassInvocation
  static void registries(TestRegistry.Kind kind) {
    anonymous = kind.anonymous();
    authenticated = kind.authenticated();
  }

  private boolean embedded() {
    return kind == TestRegistry.Kind.EMBEDDED;
  }

  // ------------------------------------------------------------------ helpers

  static String repo() {
    return "protocol/r" + UUID.randomUUID().toString().substring(0, 8);
  }

  static HttpResponse<byte[]> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static HttpRequest.Builder request(TestRegistry r, String path) {
    return HttpRequest.newBuilder(
        URI.create(path.startsWith("http") ? path : "http://" + r.host() + path));
  }

  static HttpResponse<byte[]> get(String path, String... headers) {
    HttpRequest.Builder b = request(anonymous, path).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  static HttpResponse<byte[]> head(String path, String... headers) {
    HttpRequest.Builder b =
        request(anonymous, path).method("HEAD", HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  static HttpResponse<byte[]> method(String method, String path, byte[] body, String... headers) {
    HttpRequest.Builder b =
        request(anonymous, path)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static String header(HttpResponse<byte[]> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  /** Asserts the spec's error body with {@code code}. */
  static void assertError(HttpResponse<byte[]> r, int status, String code) {
    assertThat(r.statusCode()).as(r + " " + text(r)).isEqualTo(status);
    assertThat(text(r))
        .as(r.toString())
        .contains("\"errors\"")
        .contains("\"code\":\"" + code + "\"");
  }

  static String digest(byte[] content) {
    return Digest.sha256(content).toString();
  }

  /** A new upload in {@code repo}; the absolute URL of its Location. */
  static String startUpload(String repo) {
    HttpResponse<byte[]> r = method("POST", "/v2/" + repo + "/blobs/uploads/", null);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(202);
    return absolute(header(r, "Location"));
  }

  static String absolute(String location) {
    return location.startsWith("http") ? location : "http://" + anonymous.host() + location;
  }

  static String withQuery(String url, String query) {
    return url + (url.contains("?") ? "&" : "?") + query;
  }

  /** Pushes {@code content} with POST + PUT; returns its digest. */
  static String pushBlob(String repo, byte[] content) {
    String d = digest(content);
    HttpResponse<byte[]> r =
        method(
            "PUT",
            withQuery(startUpload(repo), "digest=" + d),
            content,
            "Content-Type",
            "application/octet-stream");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
    return d;
  }

  static String descriptor(String mediaType, byte[] content) {
    return "{\"mediaType\":\""
        + mediaType
        + "\",\"digest\":\""
        + digest(content)
        + "\",\"size\":"
        + content.length
        + "}";
  }

  static byte[] manifest(byte[] config, byte[]... layers) {
    StringBuilder sb =
        new StringBuilder(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":"
                + descriptor("application/vnd.unknown.config.v1+json", config)
                + ",\"layers\":[");
    for (int i = 0; i < layers.length; i++) {
      sb.append(i == 0 ? "" : ",")
          .append(descriptor("application/vnd.oci.image.layer.v1.tar", layers[i]));
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  static HttpResponse<byte[]> putManifest(String repo, String reference, byte[] manifest) {
    return method(
        "PUT",
        "/v2/" + repo + "/manifests/" + reference,
        manifest,
        "Content-Type",
        "application/vnd.oci.image.manifest.v1+json");
  }

  static final String ACCEPT_ALL =
      "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json,"
          + " application/vnd.docker.distribution.manifest.v2+json,"
          + " application/vnd.docker.distribution.manifest.list.v2+json";

  /** A repository with config + one layer pushed and tagged {@code tag}; returns the manifest. */
  static byte[] image(String repo, String tag) {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = ("layer of " + repo).getBytes(StandardCharsets.UTF_8);
    pushBlob(repo, config);
    pushBlob(repo, layer);
    byte[] m = manifest(config, layer);
    HttpResponse<byte[]> r = putManifest(repo, tag, m);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
    return m;
  }

  // ------------------------------------------------------------------ pull

  @Test
  void pingAnswersWithTheApiVersion() {
    HttpResponse<byte[]> r = get("/v2/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
  }

  @Test
  void aManifestIsServedByTagAndDigestWithItsTypeDigestAndLength() {
    String repo = repo();
    byte[] m = image(repo, "v1");
    String d = digest(m);
    for (String ref : new String[] {"v1", d}) {
      HttpResponse<byte[]> got = get("/v2/" + repo + "/manifests/" + ref, "Accept", ACCEPT_ALL);
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(m);
      assertThat(header(got, "Content-Type"))
          .isEqualTo("application/vnd.oci.image.manifest.v1+json");
      assertThat(header(got, "Docker-Content-Digest")).isEqualTo(d);
      HttpResponse<byte[]> h = head("/v2/" + repo + "/manifests/" + ref, "Accept", ACCEPT_ALL);
      assertThat(h.statusCode()).isEqualTo(200);
      assertThat(h.body()).isEmpty();
      assertThat(header(h, "Content-Length")).isEqualTo(Integer.toString(m.length));
      assertThat(header(h, "Docker-Content-Digest")).isEqualTo(d);
      assertThat(header(h, "Content-Type")).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    }
  }

  @Test
  void anOciManifestIsNotServedToAClientThatAcceptsOnlyDockerTypes() {
    String repo = repo();
    image(repo, "v1");
    HttpResponse<byte[]> r =
        get(
            "/v2/" + repo + "/manifests/v1",
            "Accept",
            "application/vnd.docker.distribution.manifest.v2+json");
    assertError(r, 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void unknownManifestsAndBlobsAre404WithTheirCodes() {
    String repo = repo();
    image(repo, "v1");
    assertError(
        get("/v2/" + repo + "/manifests/nope", "Accept", ACCEPT_ALL), 404, "MANIFEST_UNKNOWN");
    String missing = digest("missing".getBytes(StandardCharsets.UTF_8));
    assertError(
        get("/v2/" + repo + "/manifests/" + missing, "Accept", ACCEPT_ALL),
        404,
        "MANIFEST_UNKNOWN");
    assertError(get("/v2/" + repo + "/blobs/" + missing), 404, "BLOB_UNKNOWN");
    assertThat(head("/v2/" + repo + "/blobs/" + missing).statusCode()).isEqualTo(404);
  }

  @Test
  void aBlobIsServedWholeAndByRange() {
    String repo = repo();
    byte[] content = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    String d = pushBlob(repo, content);
    HttpResponse<byte[]> whole = get("/v2/" + repo + "/blobs/" + d);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(content);
    assertThat(header(whole, "Docker-Content-Digest")).isEqualTo(d);
    HttpResponse<byte[]> h = head("/v2/" + repo + "/blobs/" + d);
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(header(h, "Content-Length")).isEqualTo("16");
    assertThat(header(h, "Docker-Content-Digest")).isEqualTo(d);
    HttpResponse<byte[]> part = get("/v2/" + repo + "/blobs/" + d, "Range", "bytes=4-7");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(text(part)).isEqualTo("4567");
    assertThat(header(part, "Content-Range")).isEqualTo("bytes 4-7/16");
  }

  // ------------------------------------------------------------------ push

  @Test
  void aChunkedUploadReportsItsProgressAndEndsWithTheDigest() {
    String repo = repo();
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    String location = startUpload(repo);
    HttpResponse<byte[]> p1 =
        method(
            "PATCH",
            location,
            Arrays.copyOfRange(content, 0, 100_000),
            "Content-Type",
            "application/octet-stream",
            "Content-Range",
            "0-99999");
    assertThat(p1.statusCode()).as(text(p1)).isEqualTo(202);
    assertThat(header(p1, "Range")).isEqualTo("0-99999");
    location = absolute(header(p1, "Location"));
    HttpResponse<byte[]> p2 =
        method(
            "PATCH",
            location,
            Arrays.copyOfRange(content, 100_000, 300_000),
            "Content-Type",
            "application/octet-stream",
            "Content-Range",
            "100000-299999");
    assertThat(p2.statusCode()).as(text(p2)).isEqualTo(202);
    location = absolute(header(p2, "Location"));
    HttpResponse<byte[]> status = get(location);
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(header(status, "Range")).isEqualTo("0-299999");
    String d = digest(content);
    HttpResponse<byte[]> put = method("PUT", withQuery(location, "digest=" + d), null);
    assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
    assertThat(header(put, "Docker-Content-Digest")).isEqualTo(d);
    assertThat(get("/v2/" + repo + "/blobs/" + d).body()).isEqualTo(content);
  }

  @Test
  void aChunkThatDoesNotContinueTheUploadIs416() {
    String repo = repo();
    String location = startUpload(repo);
    HttpResponse<byte[]> p1 =
        method(
            "PATCH",
            location,
            new byte[10],
            "Content-Type",
            "application/octet-stream",
            "Content-Range",
            "0-9");
    assertThat(p1.statusCode()).isEqualTo(202);
    HttpResponse<byte[]> gap =
        method(
            "PATCH",
            absolute(header(p1, "Location")),
            new byte[10],
            "Content-Type",
            "application/octet-stream",
            "Content-Range",
            "20-29");
    if (!embedded()) {
      // distribution 2.8 does not check a PATCH's Content-Range and appends anyway
      assertThat(gap.statusCode()).isEqualTo(202);
      return;
    }
    assertError(gap, 416, "RANGE_INVALID");
    assertThat(header(gap, "Range")).isEqualTo("0-9");
    HttpResponse<byte[]> status = get(absolute(header(p1, "Location")));
    assertThat(header(status, "Range")).isEqualTo("0-9");
  }

  @Test
  void aWrongDigestIsRefusedWithDigestInvalidAndStoresNothing() {
    String repo = repo();
    byte[] content = "the real content".getBytes(StandardCharsets.UTF_8);
    String claimed = digest("something else".getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> r =
        method(
            "PUT",
            withQuery(startUpload(repo), "digest=" + claimed),
            content,
            "Content-Type",
            "application/octet-stream");
    assertError(r, 400, "DIGEST_INVALID");
    assertThat(head("/v2/" + repo + "/blobs/" + claimed).statusCode()).isEqualTo(404);
    assertThat(head("/v2/" + repo + "/blobs/" + digest(content)).statusCode()).isEqualTo(404);
  }

  @Test
  void anUnknownUploadIsBlobUploadUnknown() {
    String repo = repo();
    startUpload(repo);
    String bogus = "/v2/" + repo + "/blobs/uploads/" + UUID.randomUUID();
    HttpResponse<byte[]> patch =
        method("PATCH", bogus, new byte[3], "Content-Type", "application/octet-stream");
    // distribution 2.8 says BLOB_UPLOAD_INVALID (it misses the state token it signs into its
    // Locations); the spec's code for an upload the registry does not know is BLOB_UPLOAD_UNKNOWN
    assertError(patch, 404, embedded() ? "BLOB_UPLOAD_UNKNOWN" : "BLOB_UPLOAD_INVALID");
    if (!embedded()) {
      return;
    }
    assertError(
        method("PUT", withQuery(bogus, "digest=" + digest(new byte[3])), new byte[3]),
        404,
        "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void aCancelledUploadIsGone() {
    String repo = repo();
    String location = startUpload(repo);
    assertThat(method("DELETE", location, null).statusCode()).isEqualTo(204);
    assertError(get(location), 404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void aSinglePostUploadStoresTheBlobOrAsksForAPut() {
    String repo = repo();
    byte[] content = "single post".getBytes(StandardCharsets.UTF_8);
    String d = digest(content);
    HttpResponse<byte[]> r =
        method(
            "POST",
            "/v2/" + repo + "/blobs/uploads/?digest=" + d,
            content,
            "Content-Type",
            "application/octet-stream");
    if (embedded()) {
      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(header(r, "Docker-Content-Digest")).isEqualTo(d);
    } else {
      // distribution 2.8 ignores the body and opens an upload: the spec's allowed fallback
      assertThat(r.statusCode()).isEqualTo(202);
      HttpResponse<byte[]> put =
          method("PUT", withQuery(absolute(header(r, "Location")), "digest=" + d), content);
      assertThat(put.statusCode()).isEqualTo(201);
    }
    assertThat(get("/v2/" + repo + "/blobs/" + d).body()).isEqualTo(content);
  }

  @Test
  void aBlobIsMountedFromARepositoryThatHasItElseAnUploadOpens() {
    String from = repo();
    String to = repo();
    byte[] content = ("mount me " + from).getBytes(StandardCharsets.UTF_8);
    String d = pushBlob(from, content);
    HttpResponse<byte[]> mounted =
        method("POST", "/v2/" + to + "/blobs/uploads/?mount=" + d + "&from=" + from, null);
    assertThat(mounted.statusCode()).as(text(mounted)).isEqualTo(201);
    assertThat(header(mounted, "Docker-Content-Digest")).isEqualTo(d);
    assertThat(get("/v2/" + to + "/blobs/" + d).body()).isEqualTo(content);

    String elsewhere = repo();
    HttpResponse<byte[]> fallback =
        method(
            "POST",
            "/v2/"
                + elsewhere
                + "/blobs/uploads/?mount="
                + digest("not there".getBytes(StandardCharsets.UTF_8))
                + "&from="
                + from,
            null);
    assertThat(fallback.statusCode()).isEqualTo(202);
    assertThat(header(fallback, "Location")).contains("/v2/" + elsewhere + "/blobs/uploads/");
  }

  @Test
  void aManifestWhoseBlobsAreMissingIsManifestBlobUnknown() {
    String repo = repo();
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    pushBlob(repo, config);
    byte[] m = manifest(config, "never pushed".getBytes(StandardCharsets.UTF_8));
    assertError(putManifest(repo, "v1", m), 400, "MANIFEST_BLOB_UNKNOWN");
    assertError(
        get("/v2/" + repo + "/manifests/v1", "Accept", ACCEPT_ALL), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void aManifestPutByDigestMustHaveThatDigest() {
    String repo = repo();
    byte[] m = image(repo, "v1");
    HttpResponse<byte[]> ok = putManifest(repo, digest(m), m);
    assertThat(ok.statusCode()).isEqualTo(201);
    assertThat(header(ok, "Docker-Content-Digest")).isEqualTo(digest(m));
    String other = digest("other".getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> wrong = putManifest(repo, other, m);
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(text(wrong)).contains("DIGEST_INVALID");
  }

  @Test
  void malformedManifestsAreManifestInvalid() {
    String repo = repo();
    image(repo, "v1");
    assertError(
        putManifest(repo, "bad", "{not json".getBytes(StandardCharsets.UTF_8)),
        400,
        "MANIFEST_INVALID");
    HttpResponse<byte[]> noConfig =
        putManifest(
            repo,
            "bad",
            ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8));
    // distribution 2.8 reads the missing config as an empty digest (DIGEST_INVALID and
    // MANIFEST_BLOB_UNKNOWN); the manifest is invalid, and the embedded registry says that
    assertError(noConfig, 400, embedded() ? "MANIFEST_INVALID" : "MANIFEST_BLOB_UNKNOWN");
  }

  @Test
  void aPushedTagMovesAndTheListIsSortedAndPaged() {
    String repo = repo();
    byte[] m = image(repo, "b");
    for (String tag : new String[] {"c", "a", "1.0.0"}) {
      assertThat(putManifest(repo, tag, m).statusCode()).isEqualTo(201);
    }
    HttpResponse<byte[]> all = get("/v2/" + repo + "/tags/list");
    assertThat(all.statusCode()).isEqualTo(200);
    if (embedded()) {
      assertThat(text(all))
          .isEqualTo("{\"name\":\"" + repo + "\",\"tags\":[\"1.0.0\",\"a\",\"b\",\"c\"]}");
    } else {
      // distribution 2.8 lists tags unsorted and ignores n= and last=; the spec asks for lexical
      // order and paging
      assertThat(text(all)).contains("\"1.0.0\"", "\"a\"", "\"b\"", "\"c\"");
      return;
    }
    HttpResponse<byte[]> page = get("/v2/" + repo + "/tags/list?n=2");
    assertThat(text(page)).contains("[\"1.0.0\",\"a\"]");
    assertThat(header(page, "Link")).contains("rel=\"next\"").contains("last=a");
    HttpResponse<byte[]> next = get("/v2/" + repo + "/tags/list?n=2&last=a");
    assertThat(text(next)).contains("[\"b\",\"c\"]");
    assertError(get("/v2/" + repo() + "/tags/list"), 404, "NAME_UNKNOWN");
  }

  @Test
  void aManifestDeletedByDigestTakesItsTagsAlong() {
    String repo = repo();
    byte[] m = image(repo, "v1");
    HttpResponse<byte[]> del = method("DELETE", "/v2/" + repo + "/manifests/" + digest(m), null);
    assertThat(del.statusCode()).isEqualTo(202);
    assertError(
        get("/v2/" + repo + "/manifests/v1", "Accept", ACCEPT_ALL), 404, "MANIFEST_UNKNOWN");
    assertError(
        method("DELETE", "/v2/" + repo + "/manifests/" + digest(m), null), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void anInvalidRepositoryNameIsRefused() {
    HttpResponse<byte[]> r = get("/v2/Upper/Case/tags/list");
    if (embedded()) {
      assertError(r, 400, "NAME_INVALID");
    } else {
      // distribution's router does not match the name at all
      assertThat(r.statusCode()).isEqualTo(404);
    }
  }

  // ------------------------------------------------------------------ auth

  @Test
  void withoutOrWithWrongCredentialsItIs401WithABasicChallenge() {
    String base = "http://" + authenticated.host();
    for (String auth :
        new String[] {
          null, basic(TestRegistry.USER, "wrong"), basic("nobody", TestRegistry.PASSWORD)
        }) {
      HttpRequest.Builder b = request(authenticated, base + "/v2/").GET();
      if (auth != null) {
        b.header("Authorization", auth);
      }
      HttpResponse<byte[]> r = send(b);
      assertError(r, 401, "UNAUTHORIZED");
      assertThat(header(r, "WWW-Authenticate")).startsWith("Basic realm=");
    }
    HttpResponse<byte[]> ok =
        send(
            request(authenticated, base + "/v2/")
                .GET()
                .header("Authorization", basic(TestRegistry.USER, TestRegistry.PASSWORD)));
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}

package io.rustless.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import land.oras.ContainerRef;
import land.oras.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the embedded registry does (distribution 2.8 lacks it or it concerns our own storage
 * and limits): referrers, tag deletion, restarts on directory storage, the TLS front, limits, and
 * ORAS's chunked upload as a real PATCH client.
 */
class EmbeddedRegistryTest {
  @TempDir Path tmp;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static HttpResponse<byte[]> call(
      OciRegistry r, String method, String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : r.url() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static String pushBlob(OciRegistry r, String repo, byte[] content) throws Exception {
    String d = Digest.sha256(content).toString();
    HttpResponse<byte[]> post =
        call(r, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, content);
    assertThat(post.statusCode()).as(text(post)).isEqualTo(201);
    return d;
  }

  private static byte[] manifest(byte[] config, byte[] layer, String subjectJson) {
    String s =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + (subjectJson == null ? "" : "\"artifactType\":\"application/vnd.example.sbom\",")
            + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\""
            + Digest.sha256(config)
            + "\",\"size\":"
            + config.length
            + "},\"layers\":[{\"mediaType\":\"application/octet-stream\",\"digest\":\""
            + Digest.sha256(layer)
            + "\",\"size\":"
            + layer.length
            + "}]"
            + (subjectJson == null ? "" : ",\"subject\":" + subjectJson)
            + ",\"annotations\":{\"org.example\":\"yes\"}}";
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<byte[]> putManifest(OciRegistry r, String repo, String ref, byte[] m)
      throws Exception {
    return call(
        r,
        "PUT",
        "/v2/" + repo + "/manifests/" + ref,
        m,
        "Content-Type",
        "application/vnd.oci.image.manifest.v1+json");
  }

  @Test
  void referrersListTheManifestsWhoseSubjectIsTheDigest() throws Exception {
    try (OciRegistry r = OciRegistry.builder().start()) {
      byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
      byte[] layer = "image".getBytes(StandardCharsets.UTF_8);
      byte[] sbom = "sbom".getBytes(StandardCharsets.UTF_8);
      pushBlob(r, "app", config);
      pushBlob(r, "app", layer);
      pushBlob(r, "app", sbom);
      byte[] image = manifest(config, layer, null);
      assertThat(putManifest(r, "app", "v1", image).statusCode()).isEqualTo(201);
      String imageDigest = Digest.sha256(image).toString();
      String subject =
          "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
              + imageDigest
              + "\",\"size\":"
              + image.length
              + "}";
      byte[] referrer = manifest(config, sbom, subject);
      HttpResponse<byte[]> put =
          putManifest(r, "app", Digest.sha256(referrer).toString(), referrer);
      assertThat(put.statusCode()).isEqualTo(201);
      assertThat(put.headers().firstValue("OCI-Subject")).contains(imageDigest);

      HttpResponse<byte[]> list = call(r, "GET", "/v2/app/referrers/" + imageDigest, null);
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.headers().firstValue("Content-Type"))
          .contains("application/vnd.oci.image.index.v1+json");
      assertThat(text(list))
          .contains("\"digest\":\"" + Digest.sha256(referrer) + "\"")
          .contains("\"artifactType\":\"application/vnd.example.sbom\"")
          .contains("\"org.example\":\"yes\"")
          .doesNotContain(imageDigest + "\",\"size\":" + image.length + ",\"artifactType\"");
      HttpResponse<byte[]> filtered =
          call(r, "GET", "/v2/app/referrers/" + imageDigest + "?artifactType=text/other", null);
      assertThat(text(filtered)).contains("\"manifests\":[]");
      assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
    }
  }

  @Test
  void aTagCanBeDeletedWithoutItsManifest() throws Exception {
    try (OciRegistry r = OciRegistry.builder().start()) {
      byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
      byte[] layer = "x".getBytes(StandardCharsets.UTF_8);
      pushBlob(r, "a/b", config);
      pushBlob(r, "a/b", layer);
      byte[] m = manifest(config, layer, null);
      putManifest(r, "a/b", "v1", m);
      putManifest(r, "a/b", "v2", m);
      assertThat(call(r, "DELETE", "/v2/a/b/manifests/v1", null).statusCode()).isEqualTo(202);
      assertThat(call(r, "GET", "/v2/a/b/manifests/v1", null).statusCode()).isEqualTo(404);
      assertThat(call(r, "GET", "/v2/a/b/manifests/v2", null).statusCode()).isEqualTo(200);
      assertThat(text(call(r, "GET", "/v2/_catalog", null)))
          .isEqualTo("{\"repositories\":[\"a/b\"]}");
    }
  }

  @Test
  void directoryStorageKeepsEverythingAcrossARestartContentAddressed() throws Exception {
    Path dir = tmp.resolve("registry");
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = new byte[1 << 20];
    new Random(7).nextBytes(layer);
    byte[] m = manifest(config, layer, null);
    try (OciRegistry r = OciRegistry.builder().storage(RegistryStorage.directory(dir)).start()) {
      pushBlob(r, "plugins/one", config);
      pushBlob(r, "plugins/one", layer);
      pushBlob(r, "plugins/two", layer);
      assertThat(putManifest(r, "plugins/one", "1.0.0", m).statusCode()).isEqualTo(201);
      // an upload left open when the registry stops does not survive it
      assertThat(call(r, "POST", "/v2/plugins/one/blobs/uploads/", null).statusCode())
          .isEqualTo(202);
    }
    // stored once however many repositories hold it
    Path blob = dir.resolve("blobs/sha256").resolve(Digest.sha256(layer).hex());
    assertThat(Files.readAllBytes(blob)).isEqualTo(layer);
    try (var files = Files.list(dir.resolve("uploads"))) {
      assertThat(files).isEmpty();
    }
    try (OciRegistry r = OciRegistry.builder().storage(RegistryStorage.directory(dir)).start()) {
      HttpResponse<byte[]> got = call(r, "GET", "/v2/plugins/one/manifests/1.0.0", null);
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(m);
      assertThat(call(r, "GET", "/v2/plugins/two/blobs/" + Digest.sha256(layer), null).body())
          .isEqualTo(layer);
      assertThat(text(call(r, "GET", "/v2/_catalog", null)))
          .isEqualTo("{\"repositories\":[\"plugins/one\",\"plugins/two\"]}");
      assertThat(text(call(r, "GET", "/v2/plugins/one/tags/list", null))).contains("[\"1.0.0\"]");
      // deleting the last thing of a repository removes it from the catalog
      assertThat(
              call(r, "DELETE", "/v2/plugins/two/blobs/" + Digest.sha256(layer), null).statusCode())
          .isEqualTo(202);
      assertThat(text(call(r, "GET", "/v2/_catalog", null)))
          .isEqualTo("{\"repositories\":[\"plugins/one\"]}");
    }
  }

  @Test
  void aTlsHelloIsAnsweredAtOnceInPlainHttp() throws Exception {
    try (OciRegistry r = OciRegistry.builder().start();
        Socket s = new Socket(r.address().getAddress(), r.address().getPort())) {
      s.setSoTimeout(10_000);
      // the start of a TLS 1.2 record carrying a ClientHello, with no line end in sight
      s.getOutputStream()
          .write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc});
      s.getOutputStream().flush();
      String answer = new String(readAll(s.getInputStream()), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 400 Bad Request").contains("plain HTTP, not HTTPS");
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  @Test
  void limitsAreAnsweredWithTheirCodes() throws Exception {
    try (OciRegistry r = OciRegistry.builder().maxUploads(2).start()) {
      assertThat(call(r, "POST", "/v2/x/blobs/uploads/", null).statusCode()).isEqualTo(202);
      assertThat(call(r, "POST", "/v2/x/blobs/uploads/", null).statusCode()).isEqualTo(202);
      HttpResponse<byte[]> third = call(r, "POST", "/v2/x/blobs/uploads/", null);
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(text(third)).contains("TOOMANYREQUESTS");
      assertThat(r.openUploads()).isEqualTo(2);

      byte[] huge = new byte[4 * 1024 * 1024 + 1];
      HttpResponse<byte[]> big =
          call(
              r,
              "PUT",
              "/v2/x/manifests/big",
              huge,
              "Content-Type",
              "application/vnd.oci.image.manifest.v1+json");
      assertThat(big.statusCode()).isEqualTo(413);
      assertThat(text(big)).contains("SIZE_INVALID");

      HttpResponse<byte[]> post = call(r, "POST", "/v2/x/manifests/v1", new byte[0]);
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD, PUT, DELETE");
      assertThat(text(post)).contains("UNSUPPORTED");

      HttpResponse<byte[]> badDigest = call(r, "GET", "/v2/x/blobs/sha256:abc", null);
      assertThat(badDigest.statusCode()).isEqualTo(400);
      assertThat(text(badDigest)).contains("DIGEST_INVALID");
    }
  }

  @Test
  void anIdleUploadIsDiscarded() throws Exception {
    try (OciRegistry r = OciRegistry.builder().uploadIdleTimeout(Duration.ZERO).start()) {
      HttpResponse<byte[]> first = call(r, "POST", "/v2/x/blobs/uploads/", null);
      String location = first.headers().firstValue("Location").orElseThrow();
      // the next upload's start sweeps the idle one away
      call(r, "POST", "/v2/y/blobs/uploads/", null);
      HttpResponse<byte[]> gone = call(r, "GET", location, null);
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(text(gone)).contains("BLOB_UPLOAD_UNKNOWN");
    }
  }

  @Test
  void sha512DigestsAreVerifiedToo() throws Exception {
    try (OciRegistry r = OciRegistry.builder().start()) {
      byte[] content = "sha512 content".getBytes(StandardCharsets.UTF_8);
      Digest d = Digest.of("sha512", content);
      String location =
          call(r, "POST", "/v2/x/blobs/uploads/", null)
              .headers()
              .firstValue("Location")
              .orElseThrow();
      HttpResponse<byte[]> put = call(r, "PUT", location + "?digest=" + d, content);
      assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
      assertThat(call(r, "GET", "/v2/x/blobs/" + d, null).body()).isEqualTo(content);
      String other =
          call(r, "POST", "/v2/x/blobs/uploads/", null)
              .headers()
              .firstValue("Location")
              .orElseThrow();
      HttpResponse<byte[]> wrong =
          call(r, "PUT", other + "?digest=" + Digest.of("sha512", new byte[1]), content);
      assertThat(wrong.statusCode()).isEqualTo(400);
      assertThat(text(wrong)).contains("DIGEST_INVALID");
    }
  }

  @Test
  void orasChunkedUploadsAndConcurrentPushesAllLand() throws Exception {
    try (OciRegistry r = OciRegistry.builder().storage(RegistryStorage.directory(tmp)).start()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        Registry oras = Registry.builder().withInsecure(true).withExecutorService(pool).build();
        List<Future<byte[]>> pushed = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          int n = i;
          pushed.add(
              pool.submit(
                  () -> {
                    byte[] content = new byte[700_000 + n];
                    new Random(n).nextBytes(content);
                    Path file = tmp.resolve("blob-" + n);
                    Files.write(file, content);
                    ContainerRef ref =
                        ContainerRef.parse(r.host() + "/concurrent/r" + (n % 3) + ":x")
                            .withDigest(Digest.sha256(content).toString());
                    // PATCH in 256 KiB chunks with Content-Range, then PUT with the digest
                    oras.pushBlobChunked(ref, file, 256 * 1024);
                    try (InputStream in = oras.fetchBlob(ref)) {
                      return in.readAllBytes();
                    }
                  }));
        }
        for (int i = 0; i < pushed.size(); i++) {
          byte[] expected = new byte[700_000 + i];
          new Random(i).nextBytes(expected);
          assertThat(pushed.get(i).get()).isEqualTo(expected);
        }
        assertThat(r.openUploads()).isZero();
      } finally {
        pool.shutdownNow();
      }
    }
  }
}

package io.rustless.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.rustless.cli.ToolException;
import io.rustless.cli.fixture.FixtureWasm;
import io.rustless.cli.fixture.FixtureWorkspace;
import io.rustless.cli.fixture.Upstream;
import io.rustless.testing.services.LocalService;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * rustless serve's gateway with real HTTP on both sides: a JDK HttpServer upstream, a JDK client.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayTest {
  static Upstream upstream;
  static Gateway gateway;
  static final List<String> log = new CopyOnWriteArrayList<>();
  static final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void start() {
    upstream = new Upstream();
    gateway = Gateway.start(config(FixtureWorkspace.CONFIG, upstream.uri(), 2));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  private static Gateway.Config config(String pluginConfig, URI upstreamUri, int workers) {
    return new Gateway.Config(
        FixtureWasm.path(),
        pluginConfig,
        upstreamUri,
        new InetSocketAddress("127.0.0.1", 0),
        ClusterRoutes.none(),
        Map.of(),
        workers,
        log::add);
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(gateway.url() + path));
  }

  /** The gateway logs after the client has its answer. */
  private static void eventuallyLogged(String text) throws InterruptedException {
    for (int i = 0; i < 100 && log.stream().noneMatch(l -> l.contains(text)); i++) {
      Thread.sleep(20);
    }
    assertThat(log).anyMatch(l -> l.contains(text));
  }

  @Test
  void aRequestPassesWithThePluginsHeadersBothWays() throws Exception {
    HttpResponse<String> r = send(request("/echo?q=1").header("x-client", "c"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-fixture-response")).contains("t1");
    assertThat(r.headers().firstValue("x-upstream")).contains("yes");
    // The upstream saw the plugin's header and the client's Host; the plugin upper-cased the echo.
    assertThat(r.body())
        .startsWith("GET /ECHO?Q=1\n")
        .contains("X-FIXTURE: T1")
        .contains("X-CLIENT: C")
        .contains("HOST: 127.0.0.1:" + gateway.address().getPort());
    eventuallyLogged(
        "GET 127.0.0.1:" + gateway.address().getPort() + "/echo?q=1 -> 200 from upstream 200");
  }

  @Test
  void theRequestBodyIsBufferedWholeAndRewrittenBeforeItGoesUpstream() throws Exception {
    HttpResponse<String> r =
        send(request("/echo").POST(HttpRequest.BodyPublishers.ofString("hello world")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .startsWith("POST /ECHO\n")
        .contains("CONTENT-LENGTH: 11")
        .endsWith("\n\nHELLO WORLD");
  }

  @Test
  void aLocalReplyAnswersTheClientWithoutTheUpstream() throws Exception {
    int before = upstream.hits();
    HttpResponse<String> r = send(request("/blocked/here"));
    assertThat(r.statusCode()).isEqualTo(403);
    // As in Envoy, the local reply goes back through the plugin's own response callbacks, which
    // upper-case every body (proxy-wasm/proxy-wasm-cpp-host#423: "that reply goes through the
    // filter chain in Envoy. The same plugin is called again ... onResponseHeaders is called").
    assertThat(r.body()).isEqualTo("BLOCKED");
    assertThat(r.headers().firstValue("x-fixture")).contains("t1");
    assertThat(upstream.hits()).isEqualTo(before);
    eventuallyLogged("plugin INFO [fixture] blocked /blocked/here");
  }

  @Test
  void serverSentEventsStreamChunkByChunk() throws Exception {
    HttpResponse<InputStream> r =
        client.send(request("/sse").build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("text/event-stream");
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      // The upstream holds events two and three until this line arrives: it can only arrive if
      // the gateway passed the first chunk on by itself.
      assertThat(in.readLine()).isEqualTo("DATA: ONE");
      assertThat(in.readLine()).isEmpty();
      upstream.firstEventSeen.countDown();
      assertThat(in.readLine()).isEqualTo("DATA: TWO");
      assertThat(in.readLine()).isEmpty();
      assertThat(in.readLine()).isEqualTo("DATA: THREE");
      assertThat(in.readLine()).isEmpty();
      assertThat(in.readLine()).isNull();
    }
  }

  @Test
  void otherRequestsGoThroughWhileAStreamIsOpen() throws Exception {
    try (Upstream slow = new Upstream();
        Gateway g = Gateway.start(config(FixtureWorkspace.CONFIG, slow.uri(), 2))) {
      HttpResponse<InputStream> stream =
          client.send(
              HttpRequest.newBuilder(URI.create(g.url() + "/sse")).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      BufferedReader in =
          new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("DATA: ONE");
      HttpResponse<String> other =
          client.send(
              HttpRequest.newBuilder(URI.create(g.url() + "/echo")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(other.statusCode()).isEqualTo(200);
      slow.firstEventSeen.countDown();
      in.close();
    }
  }

  @Test
  void bigBodiesAndEmptyResponsesPass() throws Exception {
    HttpResponse<String> big = send(request("/big"));
    assertThat(big.statusCode()).isEqualTo(200);
    assertThat(big.body()).hasSize(Upstream.BIG).matches("A+");
    HttpResponse<String> empty = send(request("/empty"));
    assertThat(empty.statusCode()).isEqualTo(204);
    assertThat(empty.body()).isEmpty();
  }

  @Test
  void anUnreachableUpstreamIsA503AsEnvoyWouldAnswer() throws Exception {
    URI nowhere = URI.create("http://127.0.0.1:" + LocalService.freePort());
    try (Gateway g = Gateway.start(config(FixtureWorkspace.CONFIG, nowhere, 1))) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(g.url() + "/x")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(503);
      // Envoy's router reply, through the plugin's response callbacks (which upper-case bodies).
      assertThat(r.body())
          .isEqualTo(
              "UPSTREAM CONNECT ERROR OR DISCONNECT/RESET BEFORE HEADERS. RESET REASON: CONNECTION"
                  + " FAILURE");
      // The plugin still answers what it answers itself.
      HttpResponse<String> blocked =
          client.send(
              HttpRequest.newBuilder(URI.create(g.url() + "/blocked")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(blocked.statusCode()).isEqualTo(403);
    }
  }

  /**
   * With one worker, one VM serves every request, each its own stream: sixteen requests wait on
   * their calls out at the same time. The callout server answers none until all sixteen have
   * arrived, so requests served one at a time would never finish; the plugin itself reports that
   * its one VM held sixteen streams at once.
   */
  @Test
  void oneWorkerServesSixteenRequestsInFlightInOneVm() throws Exception {
    int n = 16;
    CountDownLatch arrived = new CountDownLatch(n);
    HttpServer callouts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    callouts.setExecutor(Executors.newCachedThreadPool());
    callouts.createContext(
        "/wait",
        ex -> {
          arrived.countDown();
          boolean all;
          try {
            all = arrived.await(20, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            all = false;
          }
          byte[] body = "released".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(all ? 200 : 504, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    callouts.start();
    String config = "{\"tag\": \"t1\", \"callout_cluster\": \"outbound|80||callout.dns\"}";
    ClusterRoutes routes =
        ClusterRoutes.parse(
            List.of("callout.dns=http://127.0.0.1:" + callouts.getAddress().getPort()));
    ExecutorService clients = Executors.newFixedThreadPool(n);
    try (Gateway g =
        Gateway.start(
            new Gateway.Config(
                FixtureWasm.path(),
                config,
                upstream.uri(),
                new InetSocketAddress("127.0.0.1", 0),
                routes,
                Map.of(),
                1,
                log::add))) {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(g.url() + "/callout/" + i)).build();
        answers.add(clients.submit(() -> client.send(r, HttpResponse.BodyHandlers.ofString())));
      }
      for (Future<HttpResponse<String>> f : answers) {
        HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("X-CALLOUT-STATUS: 200").contains("X-OPEN-STREAMS: 16");
      }
      assertThat(g.workers()).isEqualTo(1);
      assertThat(g.vmsStarted()).isEqualTo(1);
    } finally {
      clients.shutdownNow();
      callouts.stop(0);
    }
  }

  @Test
  void aRejectedConfigurationStopsTheGatewayFromStarting() {
    assertThatThrownBy(() -> Gateway.start(config("{\"tag\": 5}", upstream.uri(), 1)))
        .isInstanceOf(ToolException.class)
        .hasMessage("the plugin rejected its configuration (see its log lines above)");
    assertThat(log).anyMatch(l -> l.contains("tag: expected a string but got a number"));
  }

  @Test
  void aBusyPortIsAClearError() {
    InetSocketAddress taken = gateway.address();
    assertThatThrownBy(
            () ->
                Gateway.start(
                    new Gateway.Config(
                        FixtureWasm.path(),
                        FixtureWorkspace.CONFIG,
                        upstream.uri(),
                        taken,
                        ClusterRoutes.none(),
                        Map.of(),
                        1,
                        log::add)))
        .isInstanceOf(ToolException.class)
        .hasMessage("cannot listen on 127.0.0.1:" + taken.getPort() + ": address in use");
  }
}

package io.rustless.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.fixture.FixtureWasm;
import io.rustless.cli.fixture.Upstream;
import io.rustless.cli.gateway.resource.FileResourceSource;
import io.rustless.cli.oci.RegistryAccess;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway end to end: resources in a directory, the fixture plugin (compiled to Wasm) as two
 * WasmPlugins in different phases, a real upstream, requests over HTTP.
 */
class GatewayTest {
  private static final String NS = "higress-system";

  @TempDir static Path shared;
  static Path module;

  @TempDir Path dir;
  Upstream upstream;
  Gateway gateway;
  final List<String> log = new CopyOnWriteArrayList<>();
  final List<String> access = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void module() throws Exception {
    module = shared.resolve("fixture.wasm");
    Files.copy(FixtureWasm.path(), module);
  }

  @BeforeEach
  void upstream() {
    upstream = new Upstream();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
  }

  static String plugin(String name, String spec) {
    return "---\napiVersion: extensions.higress.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: "
        + name
        + "\n  namespace: "
        + NS
        + "\nspec:\n  url: file://"
        + module
        + "\n  "
        + spec.strip().replace("\n", "\n  ")
        + "\n";
  }

  static String ingress(String ns, String name, String host, String path, String service) {
    return "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: "
        + name
        + "\n  namespace: "
        + ns
        + "\nspec:\n  ingressClassName: higress\n  rules:\n    - host: "
        + host
        + "\n      http:\n        paths:\n          - path: "
        + path
        + "\n            pathType: Prefix\n            backend:\n              service:\n"
        + "                name: "
        + service
        + "\n                port: {number: 80}\n";
  }

  private void start(String yaml, URI defaultUpstream, ServiceMap services) throws Exception {
    Files.writeString(dir.resolve("resources.yaml"), yaml);
    gateway =
        Gateway.builder()
            .resources(new FileResourceSource(List.of(dir), Duration.ofMillis(100)))
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .upstream(defaultUpstream)
            .services(services)
            .registryAccess(RegistryAccess.builder().plainHttp(true).environment(Map.of()).build())
            .log(log::add)
            .accessLog(access::add)
            .start();
  }

  private HttpResponse<String> send(String host, String method, String path, String body)
      throws Exception {
    // Host is a restricted header in the JDK client; the test JVM allows it (surefire config).
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(gateway.url() + path))
            .header("host", host)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void requestsMeetThePluginsInChainOrderAndResponsesInReverse() throws Exception {
    start(
        plugin("zz-first", "phase: AUTHN\ndefaultConfig: {tag: first}")
            + plugin("aa-second", "phase: UNSPECIFIED_PHASE\ndefaultConfig: {tag: second}")
            + ingress(NS, "web", "a.example.com", "/", "web"),
        null,
        ServiceMap.parse(List.of("web=" + upstream.uri())));
    HttpResponse<String> r = send("a.example.com", "POST", "/echo", "hello");
    assertThat(r.statusCode()).isEqualTo(200);
    // The upstream saw both plugins' headers, first's first, and the request body upper-cased;
    // its echo comes back upper-cased again by the response path.
    assertThat(r.body()).contains("X-FIXTURE: FIRST,SECOND").contains("HELLO");
    // Responses go back in reverse: second adds its header before first does.
    assertThat(r.headers().allValues("x-fixture-response")).containsExactly("second", "first");
    assertThat(r.headers().firstValue("server")).contains("istio-envoy");
    awaitAccess("route=web", "-> 200");
  }

  @Test
  void aLocalReplyStopsTheChainAndGoesBackThroughThePluginsThatSawTheRequest() throws Exception {
    start(
        plugin("blocker", "phase: AUTHZ\ndefaultConfig: {tag: blocker, block_prefix: /deny}")
            + plugin("later", "phase: STATS\ndefaultConfig: {tag: later, block_prefix: /never}")
            + plugin(
                "earlier", "phase: AUTHN\ndefaultConfig: {tag: earlier, block_prefix: /never}"),
        upstream.uri(),
        ServiceMap.none());
    HttpResponse<String> r = send("x.com", "GET", "/deny/this", null);
    assertThat(r.statusCode()).isEqualTo(403);
    // Its body went through the plugins' response body callbacks too (they upper-case it).
    assertThat(r.body()).isEqualTo("BLOCKED");
    // The reply passed the blocker itself and the plugin before it, not the one after.
    assertThat(r.headers().allValues("x-fixture-response")).containsExactly("blocker", "earlier");
    assertThat(upstream.hits()).isZero();
    awaitAccess("local reply from blocker");
  }

  @Test
  void routeAndClusterNamesReachTheRules() throws Exception {
    start(
        plugin(
                "p",
                """
                defaultConfig: {tag: global}
                matchRules:
                  - ingress: [web]
                    config: {tag: by-route}
                  - service: [api.shop.svc.cluster.local:80]
                    config: {tag: by-service}
                  - domain: ["*.domain.com"]
                    config: {tag: by-domain}
                """)
            + ingress(NS, "web", "a.com", "/", "web")
            + ingress("shop", "api", "b.com", "/", "api"),
        upstream.uri(),
        ServiceMap.none());
    assertThat(send("a.com", "GET", "/echo", null).body()).contains("X-FIXTURE: BY-ROUTE");
    assertThat(send("b.com", "GET", "/echo", null).body()).contains("X-FIXTURE: BY-SERVICE");
    assertThat(send("x.domain.com", "GET", "/echo", null).body()).contains("X-FIXTURE: BY-DOMAIN");
    assertThat(send("other.com", "GET", "/echo", null).body()).contains("X-FIXTURE: GLOBAL");
  }

  @Test
  void theRouterAnswersWhatHasNoUpstream() throws Exception {
    start(ingress(NS, "web", "a.com", "/", "web"), null, ServiceMap.none());
    HttpResponse<String> noRoute = send("b.com", "GET", "/", null);
    assertThat(noRoute.statusCode()).isEqualTo(404);
    assertThat(noRoute.body()).isEmpty();
    HttpResponse<String> noAddress = send("a.com", "GET", "/", null);
    assertThat(noAddress.statusCode()).isEqualTo(503);
    assertThat(noAddress.body()).isEqualTo("no healthy upstream");
    awaitAccess("no address for outbound|80||web.higress-system.svc.cluster.local");
  }

  @Test
  void aPluginThatNeverLoadedFailsClosedOrOpenAsItSays() throws Exception {
    String missing = "file://" + dir.resolve("missing.wasm");
    start(
        plugin("closed", "phase: AUTHN\ndefaultConfig: {tag: c}")
                .replace("file://" + module, missing)
            + ingress(NS, "web", "a.com", "/", "web")
            + plugin("open", "phase: AUTHN\nfailStrategy: FAIL_OPEN\ndefaultConfig: {tag: o}")
                .replace("file://" + module, missing)
            + plugin("fine", "phase: STATS\ndefaultConfig: {tag: fine}"),
        upstream.uri(),
        ServiceMap.none());
    HttpResponse<String> r = send("a.com", "GET", "/echo", null);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEmpty();
    assertThat(upstream.hits()).isZero();
    awaitAccess("wasm_fail_stream: closed is unavailable");

    // Without the closed one, the open one is skipped and the request goes through.
    Files.writeString(
        dir.resolve("resources.yaml"),
        ingress(NS, "web", "a.com", "/", "web")
            + plugin("open", "phase: AUTHN\nfailStrategy: FAIL_OPEN\ndefaultConfig: {tag: o}")
                .replace("file://" + module, missing)
            + plugin("fine", "phase: STATS\ndefaultConfig: {tag: fine}"));
    awaitChain("open", "fine");
    HttpResponse<String> passed = send("a.com", "GET", "/echo", null);
    assertThat(passed.statusCode()).isEqualTo(200);
    assertThat(passed.body()).contains("X-FIXTURE: FINE").doesNotContain("X-FIXTURE: O");
  }

  @Test
  void aReloadUnderLoadFailsNoRequestAndEachGetsTheOldOrTheNewBehaviour() throws Exception {
    start(
        plugin("p", "defaultConfig: {tag: v0}") + ingress(NS, "web", "a.com", "/", "web"),
        upstream.uri(),
        ServiceMap.none());
    java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    List<String> failures = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger served =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> clients = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread c =
          new Thread(
              () -> {
                int lastVersion = 0;
                while (running.get()) {
                  try {
                    HttpResponse<String> r = send("a.com", "POST", "/echo", "body");
                    java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("X-FIXTURE: V(\\d+)").matcher(r.body());
                    if (r.statusCode() != 200 || !m.find()) {
                      failures.add(r.statusCode() + " " + r.body());
                      continue;
                    }
                    int v = Integer.parseInt(m.group(1));
                    if (v < lastVersion) {
                      failures.add("went back from v" + lastVersion + " to v" + v);
                    }
                    lastVersion = v;
                    served.incrementAndGet();
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                }
              });
      c.start();
      clients.add(c);
    }
    try {
      for (int v = 1; v <= 5; v++) {
        int before = served.get();
        Files.writeString(
            dir.resolve("resources.yaml"),
            plugin("p", "defaultConfig: {tag: v" + v + "}")
                + ingress(NS, "web", "a.com", "/", "web"));
        awaitTag("v" + v);
        // A change that fails (no match condition) keeps v serving.
        Files.writeString(
            dir.resolve("resources.yaml"),
            plugin("p", "defaultConfig: {tag: bad}\nmatchRules:\n  - config: {tag: worse}")
                + ingress(NS, "web", "a.com", "/", "web"));
        awaitLog("invalid match rule has no match condition", v);
        long until = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < until || served.get() < before + 20) {
          Thread.sleep(10);
        }
      }
    } finally {
      running.set(false);
      for (Thread c : clients) {
        c.join(10_000);
      }
    }
    assertThat(failures).isEmpty();
    assertThat(served.get()).isGreaterThan(100);
    assertThat(access).noneSatisfy(l -> assertThat(l).contains("-> 5"));
  }

  @Test
  void aRequestInFlightFinishesWithThePluginItStartedWith() throws Exception {
    start(
        plugin("p", "defaultConfig: {tag: old}") + ingress(NS, "web", "a.com", "/", "web"),
        upstream.uri(),
        ServiceMap.none());
    HttpRequest sse =
        HttpRequest.newBuilder(URI.create(gateway.url() + "/sse")).header("host", "a.com").build();
    HttpResponse<java.io.InputStream> stream =
        http.send(sse, HttpResponse.BodyHandlers.ofInputStream());
    java.io.BufferedReader reader =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(stream.body(), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(reader.readLine()).isEqualTo("DATA: ONE");
    assertThat(stream.headers().allValues("x-fixture-response")).containsExactly("old");

    Files.writeString(
        dir.resolve("resources.yaml"),
        plugin("p", "defaultConfig: {tag: new}") + ingress(NS, "web", "a.com", "/", "web"));
    awaitTag("new");
    assertThat(gateway.inFlight()).isEqualTo(1);

    upstream.firstEventSeen.countDown();
    StringBuilder rest = new StringBuilder();
    String line;
    while ((line = reader.readLine()) != null) {
      rest.append(line).append('\n');
    }
    // The old plugin upper-cased the rest of the stream: it was not closed under the request.
    assertThat(rest.toString()).contains("DATA: TWO").contains("DATA: THREE");
  }

  /**
   * The access log line of a request is written when its exchange ends, after the client got it.
   */
  private void awaitAccess(String... parts) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (String l : access) {
        if (java.util.Arrays.stream(parts).allMatch(l::contains)) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no access log line with " + List.of(parts) + " in " + access);
  }

  private void awaitTag(String tag) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (gateway.config().chain().stream()
          .anyMatch(e -> e.deployment().configuration().contains("\"" + tag + "\""))) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("never loaded " + tag + "; log: " + log);
  }

  private void awaitLog(String text, int times) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (log.stream().filter(l -> l.contains(text)).count() >= times) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("never logged " + text + "; log: " + log);
  }

  private void awaitChain(String... names) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      List<String> now = gateway.config().chain().stream().map(e -> e.deployment().name()).toList();
      if (now.equals(List.of(names))) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the chain never became " + List.of(names) + "; log: " + log);
  }
}

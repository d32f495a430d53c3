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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  void aVmThatFailsFollowsItsFailStrategyAndTheNextRequestGetsANewVm() throws Exception {
    start(
        plugin("closed", "phase: AUTHN\ndefaultConfig: {tag: c, trap_prefix: /trap-closed}")
            + plugin(
                "open",
                "phase: STATS\nfailStrategy: FAIL_OPEN\ndefaultConfig: {tag: o, trap_prefix:"
                    + " /trap-open}"),
        upstream.uri(),
        ServiceMap.none());
    // Two workers, many requests: one VM per plugin per worker, never one per request.
    for (int i = 0; i < 20; i++) {
      assertThat(send("a.com", "GET", "/echo", null).body()).contains("X-FIXTURE: C,O");
    }
    assertThat(vmsStarted("closed")).isEqualTo(2);
    assertThat(vmsStarted("open")).isEqualTo(2);

    // FAIL_OPEN: its VM traps on the request; the request goes on without it.
    HttpResponse<String> open = send("a.com", "GET", "/trap-open/x", null);
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.body()).contains("X-FIXTURE: C").doesNotContain("X-FIXTURE: C,O");
    awaitAccess("FAIL_OPEN: open failed");

    // FAIL_CLOSE: the stream ends with Envoy's 503, and the upstream never sees it.
    int hits = upstream.hits();
    HttpResponse<String> closed = send("a.com", "GET", "/trap-closed/x", null);
    assertThat(closed.statusCode()).isEqualTo(503);
    assertThat(closed.body()).isEmpty();
    assertThat(upstream.hits()).isEqualTo(hits);
    awaitAccess("/trap-closed/x -> 503", "wasm_fail_stream: closed failed");

    // The failed VMs are replaced for the requests after: both plugins run again.
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> again = send("a.com", "GET", "/echo", null);
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(again.body()).contains("X-FIXTURE: C,O");
    }
    assertThat(vmsStarted("closed")).isEqualTo(3);
    assertThat(vmsStarted("open")).isEqualTo(3);
    assertThat(log)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("WasmPlugin higress-system/open: the VM of worker ")
                    .endsWith(" failed; a new one serves the requests after"));
  }

  private int vmsStarted(String plugin) {
    return gateway.config().chain().stream()
        .filter(e -> e.deployment().name().equals(plugin))
        .map(e -> ((GatewayConfig.Active<GatewayPlugin>) e).plugin())
        .mapToInt(p -> ((HostLoader.Plugin) p).vmsStarted())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aReloadUnderLoadFailsNoRequestAndEachGetsTheOldOrTheNewBehaviour() throws Exception {
    // Every other version also moves the module (another file, so another url): the VMs of the
    // new module replace the old ones while requests keep coming.
    Path copy = dir.resolve("fixture-copy.wasm");
    Files.copy(module, copy);
    java.util.function.IntFunction<String> version =
        v ->
            plugin("p", "defaultConfig: {tag: v" + v + "}")
                    .replace("file://" + module, "file://" + (v % 2 == 0 ? module : copy))
                + ingress(NS, "web", "a.com", "/", "web");
    start(version.apply(0), upstream.uri(), ServiceMap.none());
    int versions = 6;
    // loaded: the newest version known to serve; written: the newest version saved to the file.
    // A response started after `loaded` was read and ended before `written` was read again has
    // the old behaviour or the new one: loaded <= its version <= written.
    AtomicInteger loaded = new AtomicInteger(0);
    AtomicInteger written = new AtomicInteger(0);
    AtomicBoolean running = new AtomicBoolean(true);
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicInteger served = new AtomicInteger();
    AtomicIntegerArray perVersion = new AtomicIntegerArray(versions);
    Pattern tag = Pattern.compile("X-FIXTURE: V(\\d+)");
    List<Thread> clients = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread c =
          new Thread(
              () -> {
                int last = 0;
                while (running.get()) {
                  try {
                    int lo = loaded.get();
                    HttpResponse<String> r = send("a.com", "POST", "/echo", "body");
                    int hi = written.get();
                    Matcher m = tag.matcher(r.body());
                    if (r.statusCode() != 200 || !m.find()) {
                      failures.add(r.statusCode() + " " + r.body());
                      continue;
                    }
                    int v = Integer.parseInt(m.group(1));
                    if (v < lo || v > hi) {
                      failures.add("v" + v + " while v" + lo + "..v" + hi + " could serve");
                    }
                    if (v < last) {
                      failures.add("went back from v" + last + " to v" + v);
                    }
                    last = v;
                    perVersion.incrementAndGet(v);
                    served.incrementAndGet();
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                }
              },
              "reload-client-" + t);
      c.start();
      clients.add(c);
    }
    try {
      awaitServed(served, 20);
      for (int v = 1; v < versions; v++) {
        written.set(v);
        Files.writeString(dir.resolve("resources.yaml"), version.apply(v));
        awaitTag("v" + v);
        loaded.set(v);
        // A change that fails (no match condition) keeps v serving, and the log says why.
        Files.writeString(
            dir.resolve("resources.yaml"),
            plugin("p", "defaultConfig: {tag: bad}\nmatchRules:\n  - config: {tag: worse}")
                + ingress(NS, "web", "a.com", "/", "web"));
        awaitLog("invalid match rule has no match condition", v);
        awaitServed(served, 20);
      }
    } finally {
      running.set(false);
      for (Thread c : clients) {
        c.join(10_000);
      }
    }
    System.out.printf(
        "hot reload under load: %d requests from 4 clients across %d changes (and %d refused"
            + " ones), per version %s, %d failed%n",
        served.get(), versions - 1, versions - 1, perVersion, failures.size());
    assertThat(failures).isEmpty();
    for (int v = 0; v < versions; v++) {
      assertThat(perVersion.get(v)).as("responses with the behaviour of v%d", v).isPositive();
    }
    assertThat(access).noneSatisfy(l -> assertThat(l).contains("-> 5"));
    assertThat(gateway.config().chain()).hasSize(1);
  }

  /** Waits (at least 200 ms) until {@code n} more requests were served. */
  private static void awaitServed(AtomicInteger served, int n) throws InterruptedException {
    int target = served.get() + n;
    long until = System.nanoTime() + 200_000_000L;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < until || served.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + served.get() + " requests served, wanted " + target);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aChangeThatFailsToLoadKeepsThePreviousVersionServingAndSaysWhy() throws Exception {
    start(
        plugin("p", "defaultConfig: {tag: one}") + ingress(NS, "web", "a.com", "/", "web"),
        upstream.uri(),
        ServiceMap.none());
    Path garbage = dir.resolve("garbage.wasm");
    Files.write(garbage, "not a wasm module".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path empty = dir.resolve("empty.wasm");
    Files.write(empty, new byte[0]);
    byte[] header = {0, 'a', 's', 'm', 1, 0, 0, 0};
    Path bare = dir.resolve("bare.wasm");
    Files.write(bare, header);
    Path truncated = dir.resolve("truncated.wasm");
    Files.write(truncated, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 100, 1, 0x60});
    List<String[]> broken =
        List.of(
            // bytes that are no module
            new String[] {
              plugin("p", "defaultConfig: {tag: two}")
                  .replace("file://" + module, "file://" + garbage),
              "garbage.wasm is not a Wasm binary"
            },
            // a Wasm header, then a section that ends before its declared size
            new String[] {
              plugin("p", "defaultConfig: {tag: two}")
                  .replace("file://" + module, "file://" + truncated),
              "is not a module this host can load"
            },
            // a valid module, but no proxy-wasm plugin
            new String[] {
              plugin("p", "defaultConfig: {tag: two}")
                  .replace("file://" + module, "file://" + bare),
              "declares no proxy-wasm ABI version"
            },
            // an empty file
            new String[] {
              plugin("p", "defaultConfig: {tag: three}")
                  .replace("file://" + module, "file://" + empty),
              "empty.wasm"
            },
            // a configuration the plugin refuses (its required field is missing)
            new String[] {
              plugin("p", "defaultConfig: {block_prefix: /x}"),
              "the plugin rejected its configuration"
            });
    for (String[] change : broken) {
      int logged = log.size();
      Files.writeString(
          dir.resolve("resources.yaml"), change[0] + ingress(NS, "web", "a.com", "/", "web"));
      awaitNewLog(logged, change[1], "the previous version keeps serving");
      HttpResponse<String> r = send("a.com", "GET", "/echo", null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("X-FIXTURE: ONE");
    }
    // The plugin's own log line names the field it missed.
    assertThat(log).anySatisfy(l -> assertThat(l).contains("plugin p: ").contains("tag"));
    Files.writeString(
        dir.resolve("resources.yaml"),
        plugin("p", "defaultConfig: {tag: four}") + ingress(NS, "web", "a.com", "/", "web"));
    awaitTag("four");
    assertThat(send("a.com", "GET", "/echo", null).body()).contains("X-FIXTURE: FOUR");
  }

  /** Waits for a log line after the first {@code from} that has every part. */
  private void awaitNewLog(int from, String... parts) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (String l : log.subList(from, log.size())) {
        if (java.util.Arrays.stream(parts).allMatch(l::contains)) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("never logged " + List.of(parts) + "; log: " + log);
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

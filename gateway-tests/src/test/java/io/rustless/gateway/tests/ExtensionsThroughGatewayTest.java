package io.rustless.gateway.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rustless.cli.gateway.ControlPlane;
import io.rustless.cli.gateway.Gateway;
import io.rustless.cli.gateway.GatewayConfig;
import io.rustless.cli.gateway.higress.HigressController;
import io.rustless.cli.gateway.resource.FileResourceSource;
import io.rustless.cli.gateway.resource.KubeObject;
import io.rustless.cli.gateway.resource.YamlResources;
import io.rustless.cli.oci.RegistryAccess;
import io.rustless.cli.serve.ClusterRoutes;
import io.rustless.testing.services.LocalRedis;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every extension through the gateway with each WasmPlugin example of its README, as written (only
 * the url points at the module built here): the gateway loads it, the plugin accepts the
 * configuration, and a request shows the plugin at work. Ingresses named by the examples' route
 * rules are made up (host {@code <name>.<namespace>.route.test}), so route rules are exercised too.
 * The plugins' own calls go to local stand-ins: Redis (redis-server), the HTTP service demo-wasm
 * calls, and a model for ai-intent.
 */
class ExtensionsThroughGatewayTest {
  private static final Path CHECKOUT =
      Path.of(System.getProperty("rustless.checkout", "..")).toAbsolutePath().normalize();

  static HttpServer upstream;
  static HttpServer model;
  static LocalRedis redis;
  static final AtomicInteger modelCalls = new AtomicInteger();
  static final List<String> upstreamBodies = new CopyOnWriteArrayList<>();

  /** One request and what its answer must show. */
  record Probe(
      String host,
      String method,
      String path,
      Map<String, String> headers,
      String body,
      int status,
      String expected) {
    static Probe get(String host, String path, int status, String expected) {
      return new Probe(host, "GET", path, Map.of(), null, status, expected);
    }

    static Probe post(String host, String path, String body, int status, String expected) {
      return new Probe(
          host, "POST", path, Map.of("content-type", "application/json"), body, status, expected);
    }
  }

  /** The n-th WasmPlugin example of an extension's README, and the probes for it. */
  record Example(String extension, int index, List<Probe> probes) {
    @Override
    public String toString() {
      return extension + " README example " + (index + 1);
    }
  }

  static Stream<Example> examples() {
    String chat = "{\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";
    String denied =
        "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"提问或回答中包含敏感词，已被屏蔽\"}}],\"usage\":{}}";
    return Stream.of(
        new Example("say-hello", 0, List.of(Probe.get("plain.test", "/", 200, "Hello, Alice!"))),
        new Example(
            "say-hello",
            1,
            List.of(
                Probe.get("foo.example.com", "/", 200, "Hello, Foo!"),
                Probe.get("a.bar.example.com:8080", "/", 200, "Hello, Bar!"),
                Probe.get("lucy.default.route.test", "/", 200, "Hello, Lucy!"),
                Probe.get("other.example.com", "/", 200, "Hello, Alice!"))),
        new Example(
            "say-hello",
            2,
            List.of(
                Probe.get("foo.example.com", "/", 200, "Hello, Foo!"),
                Probe.get("other.example.com", "/", 200, "Hello, World!"))),
        new Example(
            "wrapper-say-hello", 0, List.of(Probe.get("plain.test", "/", 200, "Hello, Alice!"))),
        new Example(
            "wrapper-say-hello",
            1,
            List.of(
                Probe.get("foo.example.com", "/", 200, "Hello, Foo!"),
                Probe.get("world.default.route.test", "/world", 200, "Hello, World!"))),
        new Example(
            "sse-timing",
            0,
            List.of(Probe.get("plain.test", "/sse", 200, ": server-timing: acme;dur="))),
        new Example(
            "sse-timing",
            1,
            List.of(
                Probe.get("llm.ai.route.test", "/sse", 200, ": server-timing: llm-gateway;dur="))),
        new Example(
            "request-block",
            0,
            List.of(
                Probe.get("plain.test", "/swagger.html", 403, "blocked by request-block"),
                Probe.get("plain.test", "/web/info", 403, "blocked by request-block"),
                new Probe("plain.test", "POST", "/x", Map.of(), "say hello world", 403, "blocked"),
                Probe.get("plain.test", "/fine", 200, "GET /fine"))),
        new Example(
            "request-block",
            1,
            List.of(
                new Probe(
                    "plain.test", "GET", "/", Map.of("user-agent", "BadBot/1.0"), null, 429, ""),
                Probe.get("plain.test", "/", 200, "GET /"))),
        new Example(
            "request-block",
            2,
            List.of(
                Probe.get("plain.test", "/private/x", 403, ""),
                Probe.get("admin.default.route.test", "/", 401, "admins only"),
                Probe.get("a.internal.example.com", "/metrics", 403, ""),
                Probe.get("a.internal.example.com", "/status", 200, "GET /status"))),
        new Example(
            "demo-wasm",
            0,
            List.of(
                Probe.get(
                    "plain.test",
                    "/",
                    200,
                    "{\"redis_cid\":1,\"http_call_body\":\"POST /post test_body\",\"res_body\":\"GET / \"}"))),
        new Example(
            "ai-data-masking",
            0,
            List.of(
                Probe.post(
                    "plain.test",
                    "/v1/chat/completions",
                    chat.formatted("costom_word1"),
                    200,
                    denied),
                Probe.post(
                    "plain.test",
                    "/v1/chat/completions",
                    chat.formatted("mail admin@gmail.com"),
                    200,
                    "admin@gmail.com"))),
        new Example(
            "ai-data-masking",
            1,
            List.of(
                Probe.post(
                    "internal-llm.example.com",
                    "/v1/chat/completions",
                    chat.formatted("status of Project Falcon?"),
                    200,
                    denied),
                Probe.post(
                    "x.test",
                    "/v1/chat/completions",
                    chat.formatted("Project Falcon"),
                    200,
                    "Project Falcon"))),
        new Example(
            "ai-data-masking",
            2,
            List.of(
                new Probe(
                    "plain.test",
                    "POST",
                    "/api/generate",
                    Map.of(),
                    "the secret plan",
                    403,
                    "blocked"))),
        new Example(
            "ai-intent",
            0,
            List.of(
                Probe.post(
                    "plain.test",
                    "/v1/chat/completions",
                    chat.formatted("my balance?"),
                    200,
                    "model:1"))),
        new Example(
            "ai-intent",
            1,
            List.of(
                Probe.post(
                    "shop-assistant.default.route.test",
                    "/v1/chat/completions",
                    chat.formatted("a kite?"),
                    200,
                    "model:1"))));
  }

  @BeforeAll
  static void services() throws IOException {
    redis = LocalRedis.start();
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    upstream.createContext("/", ExtensionsThroughGatewayTest::upstream);
    upstream.setExecutor(Executors.newCachedThreadPool());
    upstream.start();
    model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    model.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          modelCalls.incrementAndGet();
          reply(
              ex,
              200,
              "application/json",
              "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Finance\"}}]}");
        });
    model.setExecutor(Executors.newCachedThreadPool());
    model.start();
  }

  @AfterAll
  static void stopServices() {
    upstream.stop(0);
    model.stop(0);
    redis.close();
  }

  /**
   * The upstream: server-sent events on {@code /sse}, a chat completion on {@code
   * /v1/chat/completions} that quotes the question, httpbin's echo on {@code /post}, else the
   * request line and body; with {@code model:<n>} (the model calls so far) in every answer.
   */
  private static void upstream(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    upstreamBodies.add(body);
    if (path.equals("/sse")) {
      reply(ex, 200, "text/event-stream", "data: one\n\ndata: two\n\n");
    } else if (path.equals("/v1/chat/completions")) {
      Matcher m = Pattern.compile("\"content\":\"([^\"]*)\"").matcher(body);
      String question = m.find() ? m.group(1) : "";
      reply(
          ex,
          200,
          "application/json",
          "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Noted: "
              + question
              + " model:"
              + modelCalls.get()
              + "\"}}]}");
    } else {
      reply(ex, 200, "text/plain", ex.getRequestMethod() + " " + path + " " + body);
    }
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", type);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void theReadmeExampleWorksThroughTheGateway(Example example) throws Exception {
    List<String> yamls = wasmPluginExamples(example.extension());
    assertThat(yamls).as("WasmPlugin examples in the README").hasSizeGreaterThan(example.index());
    Path wasm = CHECKOUT.resolve("extensions/" + example.extension() + "/target/plugin.wasm");
    assertThat(wasm).exists();
    String plugin =
        yamls.get(example.index()).replaceFirst("(?m)^(\\s*url:).*$", "$1 file://" + wasm);
    KubeObject object = YamlResources.parse(plugin, "README").get(0);
    String expectedConfig =
        ((HigressController.Deployed) HigressController.translate(object, object.namespace()))
            .deployment()
            .configuration();

    Path dir = Files.createTempDirectory("rustless-gateway-example");
    Files.writeString(dir.resolve("plugin.yaml"), plugin + "\n" + ingressesFor(plugin));
    int modelBefore = modelCalls.get();
    List<String> log = new CopyOnWriteArrayList<>();
    try (Gateway gateway =
        Gateway.builder()
            .resources(new FileResourceSource(List.of(dir), Duration.ofMillis(200)))
            .upstream(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()))
            .clusters(
                ClusterRoutes.parse(
                    List.of(
                        "redis.dns=redis://127.0.0.1:" + redis.port(),
                        "httpbin.dns=http://127.0.0.1:" + upstream.getAddress().getPort(),
                        "qwen.dns=http://127.0.0.1:" + model.getAddress().getPort(),
                        "small-llm.default.svc.cluster.local=http://127.0.0.1:"
                            + model.getAddress().getPort())))
            .registryAccess(RegistryAccess.builder().plainHttp(true).environment(Map.of()).build())
            .log(log::add)
            .start()) {
      ControlPlane.PluginStatus status = gateway.plugins().get(0);
      assertThat(status.state())
          .as("%s%n%s", status, String.join("\n", log))
          .isEqualTo(ControlPlane.State.ACTIVE);
      GatewayConfig.ChainEntry<?> entry = gateway.config().chain().get(0);
      assertThat(entry.deployment().configuration()).isEqualTo(expectedConfig);

      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (Probe p : example.probes()) {
        HttpRequest.Builder rb =
            HttpRequest.newBuilder(URI.create(gateway.url() + p.path()))
                .header("host", p.host())
                .method(
                    p.method(),
                    p.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(p.body()));
        p.headers().forEach(rb::header);
        HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
        String expected = p.expected().replace("model:1", "model:" + (modelBefore + 1));
        assertThat(r.statusCode())
            .as("%s %s%s: %s%n%s", p.method(), p.host(), p.path(), r.body(), String.join("\n", log))
            .isEqualTo(p.status());
        assertThat(r.body())
            .as("%s %s%s%n%s", p.method(), p.host(), p.path(), String.join("\n", log))
            .contains(expected);
      }
    }
  }

  /** The YAML blocks of the extension's README that are WasmPlugins. */
  static List<String> wasmPluginExamples(String extension) throws IOException {
    String readme = Files.readString(CHECKOUT.resolve("extensions/" + extension + "/README.md"));
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?ms)^```yaml\\n(.*?)^```").matcher(readme);
    while (m.find()) {
      if (m.group(1).contains("kind: WasmPlugin")) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** An Ingress for every {@code namespace/name} a route rule names (host name.ns.route.test). */
  static String ingressesFor(String plugin) {
    Set<String> routes = new LinkedHashSet<>();
    Matcher m = Pattern.compile("ingress:\\s*\\[([^\\]]*)\\]").matcher(plugin);
    while (m.find()) {
      for (String r : m.group(1).split(",")) {
        routes.add(r.strip().replace("\"", ""));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String route : routes) {
      String ns = route.contains("/") ? route.substring(0, route.indexOf('/')) : "higress-system";
      String name = route.substring(route.indexOf('/') + 1);
      sb.append("---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ")
          .append(name)
          .append("\n  namespace: ")
          .append(ns)
          .append("\nspec:\n  ingressClassName: higress\n  rules:\n    - host: ")
          .append(name)
          .append('.')
          .append(ns)
          .append(".route.test\n      http:\n        paths:\n          - path: /\n")
          .append("            pathType: Prefix\n")
          .append("            backend: {service: {name: backend, port: {number: 80}}}\n");
    }
    return sb.toString();
  }
}

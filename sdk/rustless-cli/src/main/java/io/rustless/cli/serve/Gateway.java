package io.rustless.cli.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rustless.cli.ExitCode;
import io.rustless.cli.ToolException;
import io.rustless.cli.UsageException;
import io.rustless.host.HttpStream;
import io.rustless.host.LocalReply;
import io.rustless.host.LogLine;
import io.rustless.host.PluginTrapException;
import io.rustless.host.ProxyHost;
import io.rustless.host.Vm;
import io.rustless.host.chicory.ChicoryModule;
import io.rustless.host.upstream.Upstreams;
import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A small gateway on the author's machine: HTTP in, the plugin on the request and the response,
 * HTTP to the upstream. It drives the plugin as Envoy does: request headers, then the request body
 * chunk by chunk (honouring buffering), the upstream's response headers, then its body chunk by
 * chunk as it arrives (so server-sent events stream through, each chunk flushed), and a local reply
 * from the plugin answers the client at any point before the response has started. The plugin runs
 * in Rustless's proxy-wasm host, one VM per worker, each VM serving many requests at once (see
 * {@link Workers}); its calls out to {@code --cluster} upstreams are made for real while the VM
 * serves other requests.
 *
 * <p>Differences from Envoy, on purpose: the request body is sent upstream once the plugin has
 * passed all of it; trailers are not carried; a plugin that pauses a stream must have resumed it by
 * the time the callback and the calls out it made to {@code --cluster} upstreams are done.
 */
public final class Gateway implements AutoCloseable {
  private static final int CHUNK = 16 * 1024;
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "expect");

  /**
   * Whether the JDK client lets us set Host ({@code jdk.httpclient.allowRestrictedHeaders=host},
   * which the CLI sets at start-up, before the client's first use). If not, the upstream sees its
   * own authority as Host and the client's in x-forwarded-host.
   */
  private static final boolean HOST_SETTABLE = hostSettable();

  private static boolean hostSettable() {
    try {
      HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header("host", "x");
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private final Config config;
  private final Workers workers;
  private final Upstreams upstreams;
  private final HttpServer server;
  private final HttpClient client;
  private final ExecutorService executor;

  private Gateway(
      Config config,
      Workers workers,
      Upstreams upstreams,
      HttpServer server,
      ExecutorService executor) {
    this.config = config;
    this.workers = workers;
    this.upstreams = upstreams;
    this.server = server;
    this.executor = executor;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** What to serve. */
  public record Config(
      Path wasm,
      String pluginConfiguration,
      URI upstream,
      InetSocketAddress listen,
      ClusterRoutes clusters,
      Map<String, String> properties,
      int workers,
      Consumer<String> log) {
    public Config {
      Objects.requireNonNull(wasm);
      Objects.requireNonNull(pluginConfiguration);
      Objects.requireNonNull(listen);
      clusters = clusters == null ? ClusterRoutes.none() : clusters;
      properties = properties == null ? Map.of() : Map.copyOf(properties);
      Objects.requireNonNull(log);
      if (workers < 1) {
        throw new UsageException("--workers must be at least 1");
      }
    }
  }

  /**
   * Loads the plugin (its configuration must be accepted) and starts listening; a {@link
   * ToolException} says why not.
   */
  public static Gateway start(Config config) {
    ChicoryModule module;
    try {
      module = ChicoryModule.load(config.wasm(), ChicoryModule.Engine.COMPILER);
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new ToolException(ExitCode.PLUGIN, e.getMessage(), e);
    }
    ProxyHost host = ProxyHost.create();
    Upstreams upstreams = config.clusters().upstreams();
    Supplier<Vm> vms = () -> newVm(host, module, config, upstreams);
    Vm first;
    try {
      first = vms.get();
    } catch (PluginTrapException | IllegalStateException e) {
      upstreams.close();
      throw new ToolException(ExitCode.PLUGIN, "the plugin failed to start: " + e.getMessage(), e);
    }
    if (first.startStatus() != StartStatus.OK) {
      first.close();
      upstreams.close();
      throw new ToolException(
          ExitCode.PLUGIN, "the plugin rejected its configuration (see its log lines above)");
    }
    Workers workers = new Workers(first, config.workers(), vms, config.log());
    HttpServer server;
    try {
      server = HttpServer.create(config.listen(), 64);
    } catch (BindException e) {
      workers.close();
      upstreams.close();
      throw new UsageException(
          "cannot listen on " + address(config.listen()) + ": address in use", e);
    } catch (IOException e) {
      workers.close();
      upstreams.close();
      throw new UsageException(
          "cannot listen on " + address(config.listen()) + ": " + e.getMessage(), e);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "rustless-serve-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Gateway g = new Gateway(config, workers, upstreams, server, executor);
    server.createContext("/", g::handle);
    server.setExecutor(executor);
    server.start();
    return g;
  }

  private static Vm newVm(ProxyHost host, ChicoryModule module, Config config, Upstreams u) {
    Vm.Builder b =
        host.vm(module)
            .pluginConfiguration(config.pluginConfiguration())
            .upstreams(u)
            .logSink((LogLine line) -> config.log().accept("  plugin " + line));
    for (Map.Entry<String, String> p : config.properties().entrySet()) {
      b.property(p.getValue().getBytes(StandardCharsets.UTF_8), List.of(p.getKey()));
    }
    return b.start();
  }

  /** The number of workers, each with one VM of the plugin. */
  public int workers() {
    return workers.size();
  }

  /** How many VMs of the plugin were started in all (a failed one is replaced). */
  public int vmsStarted() {
    return workers.vmsStarted();
  }

  /** The address it listens on (the port is resolved if 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  public String url() {
    return "http://" + address(address());
  }

  private static String address(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    workers.close();
    upstreams.close();
  }

  // ---- one exchange -------------------------------------------------------------------------

  /** How an exchange ended, for the access log. */
  private record Outcome(int status, String how) {}

  private void handle(HttpExchange ex) {
    long start = System.nanoTime();
    String line = ex.getRequestMethod() + " " + ex.getRequestURI();
    Outcome outcome;
    try {
      Vm vm = workers.pick();
      try (HttpStream stream = vm.newStream()) {
        outcome = exchange(stream, ex);
      }
    } catch (IOException e) {
      outcome = new Outcome(0, "client or upstream connection lost: " + e.getMessage());
    } catch (RuntimeException e) {
      outcome = new Outcome(500, "the plugin failed: " + e);
      sendPlain(ex, 500, "rustless serve: the plugin failed: " + e.getMessage() + "\n");
    } finally {
      ex.close();
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    config
        .log()
        .accept(
            line
                + " -> "
                + (outcome.status == 0 ? "aborted" : outcome.status)
                + " "
                + outcome.how
                + " ("
                + ms
                + " ms)");
  }

  private Outcome exchange(HttpStream stream, HttpExchange ex) throws IOException {
    HeaderMap request = requestHeaders(ex);
    boolean hasBody = requestHasBody(ex.getRequestHeaders());
    HeaderAction onHeaders = stream.requestHeaders(request, !hasBody);
    if (stream.getLocalReply().isPresent()) {
      return local(ex, stream.getLocalReply().get());
    }
    if (onHeaders == HeaderAction.CONTINUE_AND_END_STREAM) {
      hasBody = false;
    }
    byte[] upstreamBody = new byte[0];
    if (hasBody) {
      if (holdsAll(onHeaders) && stream.getRequestResumes() == 0) {
        return paused(ex, "request headers");
      }
      ByteArrayOutputStream passed = new ByteArrayOutputStream();
      InputStream in = ex.getRequestBody();
      byte[] buf = new byte[CHUNK];
      DataAction last = DataAction.CONTINUE;
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n == 0) {
          continue;
        }
        last = stream.requestBody(java.util.Arrays.copyOf(buf, n), false);
        if (stream.getLocalReply().isPresent()) {
          return local(ex, stream.getLocalReply().get());
        }
        if (last == DataAction.CONTINUE) {
          passed.writeBytes(stream.getRequestBody());
        }
      }
      int resumes = stream.getRequestResumes();
      last = stream.requestBody(new byte[0], true);
      if (stream.getLocalReply().isPresent()) {
        return local(ex, stream.getLocalReply().get());
      }
      if (last == DataAction.CONTINUE || stream.getRequestResumes() > resumes) {
        passed.writeBytes(stream.getRequestBody());
      } else {
        return paused(ex, "request body");
      }
      upstreamBody = passed.toByteArray();
    } else if (onHeaders.pauses() && stream.getRequestResumes() == 0) {
      return paused(ex, "request headers");
    }
    if (config.upstream() == null) {
      sendPlain(ex, 503, "rustless serve: no upstream (start with --upstream http://host:port)\n");
      return new Outcome(503, "no upstream configured");
    }

    HeaderMap forwarded = stream.getRequestHeaders();
    String method = forwarded.get(":method").orElse(ex.getRequestMethod());
    String path = forwarded.get(":path").orElse("/");
    URI target =
        URI.create(
            config.upstream().getScheme()
                + "://"
                + config.upstream().getRawAuthority()
                + (path.startsWith("/") ? path : "/" + path));
    HttpRequest upstreamRequest;
    try {
      upstreamRequest = upstreamRequest(target, method, forwarded, upstreamBody, hasBody);
    } catch (IllegalArgumentException e) {
      sendPlain(ex, 502, "rustless serve: cannot forward this request: " + e.getMessage() + "\n");
      return new Outcome(502, "not forwardable: " + e.getMessage());
    }
    HttpResponse<InputStream> upstreamResponse;
    try {
      upstreamResponse = client.send(upstreamRequest, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      // Envoy's own words for this case, which clients and tests recognise.
      sendPlain(
          ex,
          503,
          "upstream connect error or disconnect/reset before headers. reset reason: connection"
              + " failure\n");
      return new Outcome(503, "upstream " + config.upstream() + " unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(0, "interrupted");
    }
    try (InputStream body = upstreamResponse.body()) {
      return respond(stream, ex, method, upstreamResponse, body);
    }
  }

  /** The request as the plugin left it, addressed to the upstream. */
  private static HttpRequest upstreamRequest(
      URI target, String method, HeaderMap forwarded, byte[] body, boolean hasBody) {
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(target)
            .method(
                method,
                body.length == 0 && !hasBody
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < forwarded.size(); i++) {
      String name = forwarded.name(i).toLowerCase(Locale.ROOT);
      if (name.equals(":authority")) {
        rb.header(HOST_SETTABLE ? "host" : "x-forwarded-host", forwarded.value(i));
      } else if (!name.startsWith(":")
          && !HOP_BY_HOP.contains(name)
          && !name.equals("content-length")
          && !name.equals("host")) {
        rb.header(name, forwarded.value(i));
      }
    }
    return rb.build();
  }

  private Outcome respond(
      HttpStream stream,
      HttpExchange ex,
      String method,
      HttpResponse<InputStream> upstream,
      InputStream body)
      throws IOException {
    int upstreamStatus = upstream.statusCode();
    HeaderMap.Builder hb = HeaderMap.builder().add(":status", Integer.toString(upstreamStatus));
    for (Map.Entry<String, List<String>> e : upstream.headers().map().entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(":") || HOP_BY_HOP.contains(name)) {
        continue;
      }
      for (String v : e.getValue()) {
        hb.add(name, v);
      }
    }
    HeaderMap headers = hb.build();
    boolean noBody =
        method.equals("HEAD")
            || upstreamStatus == 204
            || upstreamStatus == 304
            || headers.get("content-length").map(String::strip).filter("0"::equals).isPresent();
    int resumes = stream.getResponseResumes();
    HeaderAction onHeaders = stream.responseHeaders(headers, noBody);
    if (stream.getLocalReply().isPresent()) {
      return local(ex, stream.getLocalReply().get());
    }
    String how = "from upstream " + upstreamStatus;
    boolean held = onHeaders.pauses() && stream.getResponseResumes() == resumes;
    if (noBody) {
      if (held) {
        return paused(ex, "response headers");
      }
      sendHeaders(ex, stream.getResponseHeaders(), upstreamStatus, -1);
      return new Outcome(statusOf(stream.getResponseHeaders(), upstreamStatus), how);
    }
    boolean headersSent = false;
    if (!held) {
      sendHeaders(ex, stream.getResponseHeaders(), upstreamStatus, 0);
      headersSent = true;
    }
    OutputStream out = ex.getResponseBody();
    byte[] buf = new byte[CHUNK];
    int n;
    boolean end = false;
    while (!end) {
      n = body.read(buf);
      end = n < 0;
      byte[] chunk = end ? new byte[0] : java.util.Arrays.copyOf(buf, n);
      if (!end && n == 0) {
        continue;
      }
      resumes = stream.getResponseResumes();
      DataAction action = stream.responseBody(chunk, end);
      if (stream.getLocalReply().isPresent()) {
        if (!headersSent) {
          return local(ex, stream.getLocalReply().get());
        }
        return new Outcome(0, "the plugin replied locally after the response had started");
      }
      boolean passes = action == DataAction.CONTINUE || stream.getResponseResumes() > resumes;
      if (!passes) {
        if (end && !headersSent) {
          return paused(ex, "response body");
        }
        continue;
      }
      if (!headersSent) {
        sendHeaders(ex, stream.getResponseHeaders(), upstreamStatus, 0);
        headersSent = true;
      }
      byte[] passed = stream.getResponseBody();
      if (passed.length > 0) {
        out.write(passed);
        // Each chunk goes out as it came: server-sent events must not wait for the next one.
        out.flush();
      }
    }
    return new Outcome(statusOf(stream.getResponseHeaders(), upstreamStatus), how);
  }

  private static boolean holdsAll(HeaderAction a) {
    return a == HeaderAction.STOP_ALL_ITERATION_AND_BUFFER
        || a == HeaderAction.STOP_ALL_ITERATION_AND_WATERMARK;
  }

  private static int statusOf(HeaderMap headers, int fallback) {
    try {
      return headers.get(":status").map(String::strip).map(Integer::parseInt).orElse(fallback);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static void sendHeaders(
      HttpExchange ex, HeaderMap headers, int fallbackStatus, long length) throws IOException {
    Headers out = ex.getResponseHeaders();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i).toLowerCase(Locale.ROOT);
      if (!name.startsWith(":")
          && !HOP_BY_HOP.contains(name)
          && !name.equals("content-length")
          && !name.equals("date")) {
        out.add(name, headers.value(i));
      }
    }
    ex.sendResponseHeaders(statusOf(headers, fallbackStatus), length);
  }

  private Outcome local(HttpExchange ex, LocalReply reply) throws IOException {
    Headers out = ex.getResponseHeaders();
    HeaderMap h = reply.headers();
    for (int i = 0; i < h.size(); i++) {
      String name = h.name(i).toLowerCase(Locale.ROOT);
      if (!name.startsWith(":") && !HOP_BY_HOP.contains(name) && !name.equals("content-length")) {
        out.add(name, h.value(i));
      }
    }
    byte[] body = reply.body();
    ex.sendResponseHeaders(reply.statusCode(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
    return new Outcome(reply.statusCode(), "local reply from the plugin");
  }

  private Outcome paused(HttpExchange ex, String where) {
    String why =
        "the plugin paused the stream at its "
            + where
            + " and did not resume it (only HTTP calls routed with --cluster could resume it here)";
    sendPlain(ex, 500, "rustless serve: " + why + "\n");
    return new Outcome(500, why);
  }

  private static void sendPlain(HttpExchange ex, int status, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    try {
      ex.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    } catch (IOException e) {
      // the client went away, or the response had already started
    }
  }

  private static HeaderMap requestHeaders(HttpExchange ex) {
    URI uri = ex.getRequestURI();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    Headers in = ex.getRequestHeaders();
    String authority = in.getFirst("Host");
    if (authority == null) {
      authority = address(ex.getLocalAddress());
    }
    HeaderMap.Builder b =
        HeaderMap.builder()
            .add(":authority", authority)
            .add(":path", path)
            .add(":method", ex.getRequestMethod())
            .add(":scheme", "http");
    for (Map.Entry<String, List<String>> e : in.entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("host") || HOP_BY_HOP.contains(name)) {
        continue;
      }
      for (String v : e.getValue()) {
        b.add(name, v);
      }
    }
    // What Envoy adds on the way in.
    if (!in.containsKey("X-forwarded-proto")) {
      b.add("x-forwarded-proto", "http");
    }
    if (!in.containsKey("X-request-id")) {
      b.add("x-request-id", UUID.randomUUID().toString());
    }
    return b.build();
  }

  private static boolean requestHasBody(Headers h) {
    String te = h.getFirst("Transfer-encoding");
    if (te != null) {
      return true;
    }
    String cl = h.getFirst("Content-length");
    try {
      return cl != null && Long.parseLong(cl.strip()) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}

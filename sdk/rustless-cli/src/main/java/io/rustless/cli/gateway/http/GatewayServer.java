package io.rustless.cli.gateway.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rustless.cli.UsageException;
import io.rustless.cli.gateway.GatewayConfig;
import io.rustless.cli.gateway.GatewayConfig.Active;
import io.rustless.cli.gateway.GatewayConfig.ChainEntry;
import io.rustless.cli.gateway.GatewayPlugin;
import io.rustless.cli.gateway.ServiceMap;
import io.rustless.cli.gateway.higress.Route;
import io.rustless.sdk.host.HeaderMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The gateway's data plane: HTTP/1.1 in, the route and the plugin chain, HTTP/1.1 to the upstream,
 * bodies streamed chunk by chunk both ways. Each request keeps the configuration it started with to
 * its end; a reload affects only the requests that arrive after it.
 *
 * <p>What the router does, as Envoy's: no route and no {@code --upstream}: 404 with no body; a
 * route whose service has no local address: 503 "no healthy upstream"; an upstream that cannot be
 * reached: 503 "upstream connect error or disconnect/reset before headers. reset reason: connection
 * failure". These replies go back through the plugins, as Envoy's router replies do.
 */
public final class GatewayServer implements AutoCloseable {
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
          "expect",
          "http2-settings");

  /**
   * Whether the JDK client lets us set Host ({@code jdk.httpclient.allowRestrictedHeaders=host},
   * set by the CLI at start-up). If not, the upstream gets the client's host in x-forwarded-host.
   */
  private static final boolean HOST_SETTABLE = hostSettable();

  private final Supplier<GatewayConfig<GatewayPlugin>> config;
  private final URI defaultUpstream;
  private final ServiceMap services;
  private final int workers;
  private final Consumer<String> accessLog;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client;
  private final AtomicInteger nextWorker = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();

  private GatewayServer(Builder b, HttpServer server, ExecutorService executor) {
    this.config = b.config;
    this.defaultUpstream = b.defaultUpstream;
    this.services = b.services;
    this.workers = b.workers;
    this.accessLog = b.accessLog;
    this.server = server;
    this.executor = executor;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
  }

  private static boolean hostSettable() {
    try {
      HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header("host", "x");
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The address it listens on (the port resolved if 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@code http://host:port}. */
  public String url() {
    InetSocketAddress a = address();
    return "http://" + a.getHostString() + ":" + a.getPort();
  }

  /** Requests being served now. */
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- one exchange ---------------------------------------------------------------------------

  private void handle(HttpExchange ex) {
    inFlight.incrementAndGet();
    long start = System.nanoTime();
    List<GatewayPlugin> pinned = new ArrayList<>();
    Exchange exchange = null;
    try {
      GatewayConfig<GatewayPlugin> c = pin(pinned);
      exchange = new Exchange(ex, c);
      exchange.run();
    } catch (IOException | UncheckedIOException e) {
      if (exchange != null && exchange.outcome.isEmpty()) {
        exchange.outcome = "connection lost: " + e.getMessage();
      }
    } catch (RuntimeException e) {
      if (exchange != null) {
        exchange.outcome = "internal error: " + e;
      }
      if (exchange == null || !exchange.responseStarted) {
        sendPlain(ex, 500, "rustless gateway: internal error: " + e + "\n");
      }
    } finally {
      if (exchange != null) {
        exchange.finish();
        accessLog.accept(exchange.logLine((System.nanoTime() - start) / 1_000_000));
      }
      ex.close();
      for (GatewayPlugin p : pinned) {
        p.unpin();
      }
      inFlight.decrementAndGet();
    }
  }

  /** The current configuration with every plugin pinned (retried if a reload closed one). */
  private GatewayConfig<GatewayPlugin> pin(List<GatewayPlugin> pinned) {
    while (true) {
      GatewayConfig<GatewayPlugin> c = config.get();
      boolean all = true;
      for (ChainEntry<GatewayPlugin> e : c.chain()) {
        if (e instanceof Active<GatewayPlugin> a) {
          if (a.plugin().pin()) {
            pinned.add(a.plugin());
          } else {
            all = false;
            break;
          }
        }
      }
      if (all) {
        return c;
      }
      for (GatewayPlugin p : pinned) {
        p.unpin();
      }
      pinned.clear();
      Thread.onSpinWait();
    }
  }

  /** One request and its response. */
  private final class Exchange {
    final HttpExchange ex;
    final GatewayConfig<GatewayPlugin> config;
    final String method;
    final String target;
    final HeaderMap requestHeaders;
    final Optional<Route> route;
    final Optional<URI> upstreamBase;
    final ChainRun chain;
    boolean responseStarted;
    String outcome = "";
    int status;
    HeaderMap forwardHeaders;
    boolean forwardNoBody;
    BodyPipe bodyOut;
    CompletableFuture<HttpResponse<InputStream>> response;
    String upstreamError;

    Exchange(HttpExchange ex, GatewayConfig<GatewayPlugin> config) {
      this.ex = ex;
      this.config = config;
      this.method = ex.getRequestMethod();
      this.target = ex.getRequestURI().toString();
      this.requestHeaders = requestHeaders(ex);
      String authority = requestHeaders.get(":authority").orElse("");
      String path = requestHeaders.get(":path").orElse("/");
      this.route = config.routes().match(authority, path);
      this.upstreamBase =
          route.isPresent()
              ? services
                  .resolve(route.get().backend())
                  .or(() -> Optional.ofNullable(defaultUpstream))
              : Optional.ofNullable(defaultUpstream);
      Map<String, String> properties = new LinkedHashMap<>();
      route.ifPresent(
          r -> {
            properties.put("route_name", r.name());
            properties.put("cluster_name", r.backend().clusterName());
          });
      int worker = Math.floorMod(nextWorker.getAndIncrement(), workers);
      this.chain =
          new ChainRun(config.chain(), worker, properties, new ToUpstream(), new ToClient());
    }

    void run() throws IOException {
      boolean hasBody = requestHasBody(ex.getRequestHeaders());
      chain.requestHeaders(requestHeaders, !hasBody);
      if (hasBody) {
        InputStream in = ex.getRequestBody();
        byte[] buf = new byte[CHUNK];
        int n;
        while (!chain.requestStopped() && (n = in.read(buf)) >= 0) {
          if (n > 0) {
            chain.requestBody(Arrays.copyOf(buf, n), false);
          }
        }
        if (!chain.requestStopped()) {
          chain.requestBody(new byte[0], true);
        }
      }
      if (chain.requestStopped()) {
        outcome = chain.outcome();
        return;
      }
      if (forwardHeaders == null) {
        // Every plugin passed the headers and body, but the router never got them: cannot happen
        // unless a plugin kept them; ChainRun answers that case itself.
        outcome = "the request did not reach the router";
        return;
      }
      if (response == null) {
        respondFromRouter();
        return;
      }
      closeBody();
      HttpResponse<InputStream> r;
      try {
        r = response.get();
      } catch (ExecutionException e) {
        upstreamError = String.valueOf(e.getCause());
        routerReply(
            503,
            "upstream connect error or disconnect/reset before headers. reset reason: connection"
                + " failure");
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcome = "interrupted";
        return;
      }
      try (InputStream body = r.body()) {
        forwardResponse(r, body);
      }
    }

    /** The router's own replies, before any upstream: 404 (no route), 503 (no upstream). */
    private void respondFromRouter() throws IOException {
      if (route.isEmpty()) {
        routerReply(404, "");
      } else {
        routerReply(503, "no healthy upstream");
      }
    }

    private void routerReply(int code, String body) throws IOException {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      HeaderMap h = ChainRun.localReplyHeaders(code, HeaderMap.empty(), b);
      outcome =
          code == 404
              ? "no route (and no --upstream)"
              : upstreamError != null
                  ? "upstream "
                      + upstreamBase.map(URI::toString).orElse("?")
                      + " unreachable: "
                      + upstreamError
                  : "no address for "
                      + route.map(r -> r.backend().clusterName()).orElse("?")
                      + " (give --service or --upstream)";
      chain.responseHeaders(h, b.length == 0);
      if (b.length > 0) {
        chain.responseBody(b, true);
      }
    }

    private void forwardResponse(HttpResponse<InputStream> r, InputStream body) throws IOException {
      status = r.statusCode();
      HeaderMap.Builder hb = HeaderMap.builder().add(":status", Integer.toString(status));
      for (Map.Entry<String, List<String>> e : r.headers().map().entrySet()) {
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
              || status == 204
              || status == 304
              || headers.get("content-length").map(String::strip).filter("0"::equals).isPresent();
      outcome = "from upstream " + status;
      chain.responseHeaders(headers, noBody);
      if (noBody) {
        return;
      }
      byte[] buf = new byte[CHUNK];
      int n;
      while ((n = body.read(buf)) >= 0) {
        if (n > 0) {
          chain.responseBody(Arrays.copyOf(buf, n), false);
        }
      }
      chain.responseBody(new byte[0], true);
      if (!chain.outcome().isEmpty()) {
        outcome = chain.outcome();
      }
    }

    /** The request as the last plugin passed it, to the upstream. */
    private final class ToUpstream implements ChainRun.Upstream {
      private boolean firstBody = true;

      @Override
      public void headers(HeaderMap headers, boolean endOfStream) {
        forwardHeaders = headers;
        forwardNoBody = endOfStream;
        if (endOfStream) {
          send(HttpRequest.BodyPublishers.noBody());
        }
      }

      @Override
      public void body(byte[] chunk, boolean endOfStream) {
        if (upstreamBase.isEmpty()) {
          return;
        }
        if (firstBody) {
          firstBody = false;
          if (endOfStream) {
            send(HttpRequest.BodyPublishers.ofByteArray(chunk));
            return;
          }
          BodyPipe pipe = new BodyPipe(() -> response != null && response.isDone());
          bodyOut = pipe;
          send(HttpRequest.BodyPublishers.ofInputStream(() -> pipe));
        }
        try {
          if (bodyOut != null) {
            bodyOut.write(chunk);
            if (endOfStream) {
              closeBody();
            }
          }
        } catch (IOException e) {
          // the upstream stopped reading; its answer (or failure) tells the rest
          closeBody();
        }
      }

      private void send(HttpRequest.BodyPublisher body) {
        if (upstreamBase.isEmpty()) {
          return;
        }
        URI base = upstreamBase.get();
        String path = forwardHeaders.get(":path").orElse("/");
        String m = forwardHeaders.get(":method").orElse(method);
        HttpRequest.Builder rb;
        try {
          rb =
              HttpRequest.newBuilder(
                      URI.create(
                          base.getScheme()
                              + "://"
                              + base.getRawAuthority()
                              + (path.startsWith("/") ? path : "/" + path)))
                  .method(m, body);
        } catch (IllegalArgumentException e) {
          upstreamError = "the request cannot be forwarded: " + e.getMessage();
          response = CompletableFuture.failedFuture(e);
          return;
        }
        for (int i = 0; i < forwardHeaders.size(); i++) {
          String name = forwardHeaders.name(i).toLowerCase(Locale.ROOT);
          String value = forwardHeaders.value(i);
          try {
            if (name.equals(":authority")) {
              rb.header(HOST_SETTABLE ? "host" : "x-forwarded-host", value);
            } else if (!name.startsWith(":")
                && !HOP_BY_HOP.contains(name)
                && !name.equals("content-length")
                && !name.equals("host")) {
              rb.header(name, value);
            }
          } catch (IllegalArgumentException e) {
            // a header the JDK client will not send (restricted name or bad value): dropped
          }
        }
        response = client.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
      }
    }

    private void closeBody() {
      if (bodyOut != null) {
        try {
          bodyOut.finish();
        } catch (IOException e) {
          // the upstream is not reading: its answer or failure tells the rest
        }
      }
    }

    /** The response as the first plugin passed it, to the client. */
    private final class ToClient implements ChainRun.Client {
      private OutputStream out;

      @Override
      public void headers(HeaderMap headers, boolean endOfStream) throws IOException {
        responseStarted = true;
        status = statusOf(headers);
        Headers h = ex.getResponseHeaders();
        long length = endOfStream ? -1 : 0;
        for (int i = 0; i < headers.size(); i++) {
          String name = headers.name(i).toLowerCase(Locale.ROOT);
          if (name.startsWith(":") || HOP_BY_HOP.contains(name) || name.equals("date")) {
            continue;
          }
          if (name.equals("content-length")) {
            if (!endOfStream) {
              try {
                long declared = Long.parseLong(headers.value(i).strip());
                length = declared == 0 ? -1 : declared;
              } catch (NumberFormatException e) {
                // a bad length is not passed on; the body goes chunked
              }
            }
            continue;
          }
          if (name.equals("server")) {
            continue;
          }
          h.add(name, headers.value(i));
        }
        // What Higress's Envoy says it is.
        h.set("server", "istio-envoy");
        ex.sendResponseHeaders(status, length);
        if (endOfStream || length == -1) {
          ex.getResponseBody().close();
        } else {
          out = ex.getResponseBody();
        }
      }

      @Override
      public void body(byte[] chunk, boolean endOfStream) throws IOException {
        if (out == null) {
          return;
        }
        if (chunk.length > 0) {
          out.write(chunk);
          // Each chunk goes out as it came: server-sent events must not wait for the next one.
          out.flush();
        }
        if (endOfStream) {
          out.close();
          out = null;
        }
      }
    }

    void finish() {
      closeBody();
      chain.close();
    }

    String logLine(long ms) {
      StringBuilder sb = new StringBuilder();
      sb.append(method)
          .append(' ')
          .append(requestHeaders.get(":authority").orElse(""))
          .append(target)
          .append(" -> ")
          .append(status == 0 ? "aborted" : Integer.toString(status));
      route.ifPresentOrElse(
          r -> sb.append(" route=").append(r.name()), () -> sb.append(" (no route)"));
      if (!outcome.isEmpty()) {
        sb.append(' ').append(outcome);
      }
      sb.append(" (").append(ms).append(" ms)");
      return sb.toString();
    }
  }

  private static int statusOf(HeaderMap headers) {
    try {
      return headers.get(":status").map(String::strip).map(Integer::parseInt).orElse(200);
    } catch (NumberFormatException e) {
      return 502;
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
      InetSocketAddress a = ex.getLocalAddress();
      authority = a.getHostString() + ":" + a.getPort();
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
    if (h.getFirst("Transfer-encoding") != null) {
      return true;
    }
    String cl = h.getFirst("Content-length");
    try {
      return cl != null && Long.parseLong(cl.strip()) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
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

  /** Configures and starts a {@link GatewayServer}. */
  public static final class Builder {
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    private Supplier<GatewayConfig<GatewayPlugin>> config = GatewayConfig::empty;
    private URI defaultUpstream;
    private ServiceMap services = ServiceMap.none();
    private int workers = 1;
    private Consumer<String> accessLog = line -> {};

    private Builder() {}

    public Builder listen(InetSocketAddress address) {
      this.listen = address;
      return this;
    }

    /** Where each request reads the configuration it runs with. */
    public Builder config(Supplier<GatewayConfig<GatewayPlugin>> source) {
      this.config = source;
      return this;
    }

    /** Where requests go that no route sends elsewhere; null for none. */
    public Builder defaultUpstream(URI uri) {
      this.defaultUpstream = uri;
      return this;
    }

    public Builder services(ServiceMap map) {
      this.services = map;
      return this;
    }

    /** Envoy's worker count: each plugin runs one VM per worker. */
    public Builder workers(int n) {
      if (n < 1) {
        throw new UsageException("--workers must be at least 1");
      }
      this.workers = n;
      return this;
    }

    /** One line per exchange. */
    public Builder accessLog(Consumer<String> sink) {
      this.accessLog = sink;
      return this;
    }

    /** Starts listening; a {@link UsageException} if the address cannot be used. */
    public GatewayServer start() {
      HttpServer server;
      try {
        server = HttpServer.create(listen, 128);
      } catch (BindException e) {
        throw new UsageException(
            "cannot listen on "
                + listen.getHostString()
                + ":"
                + listen.getPort()
                + ": address in use",
            e);
      } catch (IOException e) {
        throw new UsageException(
            "cannot listen on "
                + listen.getHostString()
                + ":"
                + listen.getPort()
                + ": "
                + e.getMessage(),
            e);
      }
      AtomicInteger n = new AtomicInteger();
      ExecutorService executor =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "rustless-gateway-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      GatewayServer g = new GatewayServer(this, server, executor);
      server.createContext("/", g::handle);
      server.setExecutor(executor);
      server.start();
      return g;
    }
  }
}

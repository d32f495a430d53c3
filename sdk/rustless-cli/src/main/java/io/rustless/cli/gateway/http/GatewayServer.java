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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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

  static {
    // The JDK's HTTP server writes headers and body apart; with Nagle's algorithm on, a keep-alive
    // client's delayed ACK holds each answer ~40 ms. Read once, when the JDK's server is first used
    // in this JVM (the CLI sets it at start-up too).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final Supplier<GatewayConfig<GatewayPlugin>> config;
  private final URI defaultUpstream;
  private final ServiceMap services;
  private final int workers;
  private final Map<String, String> properties;
  private final Consumer<String> accessLog;
  private final HttpServer server;
  private final ExecutorService executor;
  private final UpstreamClient upstreams = new UpstreamClient();
  private final AtomicInteger nextWorker = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();

  private GatewayServer(Builder b, HttpServer server, ExecutorService executor) {
    this.config = b.config;
    this.defaultUpstream = b.defaultUpstream;
    this.services = b.services;
    this.workers = b.workers;
    this.properties = Map.copyOf(b.properties);
    this.accessLog = b.accessLog;
    this.server = server;
    this.executor = executor;
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
    upstreams.close();
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
    String forwardMethod;
    UpstreamClient.Connection connection;
    boolean pooled;
    boolean headSent;
    byte[] replayable;
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
      Map<String, String> properties = new LinkedHashMap<>(GatewayServer.this.properties);
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
      if (upstreamBase.isEmpty()) {
        routerReply(route.isEmpty() ? 404 : 503, route.isEmpty() ? "" : "no healthy upstream");
        return;
      }
      UpstreamClient.Response r = null;
      if (upstreamError == null && connection != null) {
        try {
          r = UpstreamClient.readResponse(connection, forwardMethod);
        } catch (IOException e) {
          connection.reusable = false;
          if (pooled && replayable != null) {
            // A kept-alive connection the upstream had closed: the request once more, afresh.
            release();
            try {
              sendWhole(replayable);
              if (connection != null && upstreamError == null) {
                r = UpstreamClient.readResponse(connection, forwardMethod);
              }
            } catch (IOException again) {
              upstreamError = "connection termination: " + again.getMessage();
            }
          } else {
            upstreamError = "connection termination: " + e.getMessage();
          }
        }
      }
      if (r == null) {
        if (upstreamError == null) {
          upstreamError = "the request never reached it";
        }
        routerReply(
            503,
            "upstream connect error or disconnect/reset before headers. reset reason: "
                + (upstreamError.startsWith("connection termination")
                    ? "connection termination"
                    : "connection failure"));
        return;
      }
      forwardResponse(r);
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
                      + " failed: "
                      + upstreamError
                  : "no address for "
                      + route.map(r -> r.backend().clusterName()).orElse("?")
                      + " (give --service or --upstream)";
      chain.responseHeaders(h, b.length == 0);
      if (b.length > 0) {
        chain.responseBody(b, true);
      }
    }

    private void forwardResponse(UpstreamClient.Response r) throws IOException {
      status = r.status();
      HeaderMap.Builder hb = HeaderMap.builder().add(":status", Integer.toString(status));
      for (int i = 0; i < r.headers().size(); i++) {
        String name = r.headers().name(i);
        if (name.startsWith(":") || HOP_BY_HOP.contains(name)) {
          continue;
        }
        hb.add(name, r.headers().value(i));
      }
      outcome = "from upstream " + status;
      UpstreamClient.Body body = r.body();
      chain.responseHeaders(hb.build(), body.isEmpty());
      if (!body.isEmpty()) {
        byte[] chunk;
        while ((chunk = body.next()) != null) {
          chain.responseBody(chunk, false);
        }
        chain.responseBody(new byte[0], true);
      }
      if (body.finished()) {
        release();
      }
      if (!chain.outcome().isEmpty()) {
        outcome = chain.outcome();
      }
    }

    /** The request as the last plugin passed it, to the upstream. */
    private final class ToUpstream implements ChainRun.Upstream {
      @Override
      public void headers(HeaderMap headers, boolean endOfStream) {
        forwardHeaders = headers;
        forwardMethod = headers.get(":method").orElse(method);
        if (endOfStream && upstreamBase.isPresent()) {
          sendWhole(new byte[0]);
        }
      }

      @Override
      public void body(byte[] chunk, boolean endOfStream) {
        if (upstreamBase.isEmpty() || upstreamError != null) {
          return;
        }
        if (!headSent) {
          if (endOfStream) {
            sendWhole(chunk);
            return;
          }
          try {
            open();
            writeHead(-1);
          } catch (IOException e) {
            upstreamError = "connection failure: " + e.getMessage();
            return;
          }
        }
        try {
          UpstreamClient.writeChunk(connection, chunk, endOfStream);
        } catch (IOException e) {
          connection.reusable = false;
          upstreamError = "connection termination: " + e.getMessage();
        }
      }
    }

    /** Sends the request with a body known in full (empty: none); it can be sent again. */
    private void sendWhole(byte[] body) {
      replayable = body;
      try {
        open();
        writeHead(body.length);
        connection.out.write(body);
        connection.out.flush();
      } catch (IOException e) {
        if (connection != null) {
          connection.reusable = false;
        }
        upstreamError = "connection failure: " + e.getMessage();
      }
    }

    private void open() throws IOException {
      if (connection == null) {
        connection = upstreams.connect(upstreamBase.get());
        pooled = connection.idleSince > 0;
      }
    }

    private void writeHead(long length) throws IOException {
      headSent = true;
      HeaderMap.Builder b = HeaderMap.builder();
      String authority = forwardHeaders.get(":authority").orElse("");
      for (int i = 0; i < forwardHeaders.size(); i++) {
        String name = forwardHeaders.name(i).toLowerCase(Locale.ROOT);
        if (!name.startsWith(":")
            && !HOP_BY_HOP.contains(name)
            && !name.equals("content-length")
            && !name.equals("host")) {
          b.add(name, forwardHeaders.value(i));
        }
      }
      String path = forwardHeaders.get(":path").orElse("/");
      UpstreamClient.writeHead(
          connection,
          forwardMethod,
          path.startsWith("/") ? path : "/" + path,
          authority,
          b.build(),
          length);
    }

    private void release() {
      if (connection != null) {
        upstreams.release(connection);
        connection = null;
        headSent = false;
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
      if (connection != null) {
        // the exchange ended before the upstream's answer did: the connection cannot serve again
        connection.reusable = false;
        release();
      }
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
      if (route.isPresent()) {
        sb.append(" route=").append(route.get().name());
      } else if (!config.routes().isEmpty()) {
        sb.append(" (no route)");
      }
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
    private Map<String, String> properties = Map.of();
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

    /**
     * Properties every stream has (e.g. {@code route_name} for {@code rustless serve}); a route's
     * own {@code route_name} and {@code cluster_name} replace them.
     */
    public Builder properties(Map<String, String> map) {
      this.properties = Map.copyOf(map);
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

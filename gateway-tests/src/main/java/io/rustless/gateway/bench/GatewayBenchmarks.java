package io.rustless.gateway.bench;

import com.sun.net.httpserver.HttpServer;
import io.rustless.cli.gateway.Gateway;
import io.rustless.cli.gateway.resource.FileResourceSource;
import io.rustless.cli.oci.RegistryAccess;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests per second through the gateway, with ratios against baselines measured in the same run:
 * a local upstream served directly, then through the gateway with no plugin, with a pass-through
 * plugin (1 and 2 workers), and with say-hello answering itself (1 and 2 workers). Not a test: on a
 * shared 2-core machine the figures move between runs; the ratios are the stable part.
 *
 * <p>Method: {@code connections} keep-alive HTTP/1.1 connections, each sending {@code GET /} as
 * soon as the previous answer is read (a small client on raw sockets, so the client costs little
 * next to what is measured); a warm-up, then {@code rounds} rounds of {@code seconds} each; the
 * median and the best round.
 */
public final class GatewayBenchmarks {
  private final Path checkout;
  private final PrintStream out;
  private final int rounds;
  private final double seconds;
  private final int connections;
  private final List<String[]> rows = new ArrayList<>();

  GatewayBenchmarks(Path checkout, PrintStream out, int rounds, double seconds, int connections) {
    this.checkout = checkout;
    this.out = out;
    this.rounds = rounds;
    this.seconds = seconds;
    this.connections = connections;
  }

  public static void main(String[] args) throws Exception {
    Path checkout = Path.of(args.length > 0 ? args[0] : "..").toAbsolutePath().normalize();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
    try {
      new GatewayBenchmarks(checkout, System.out, rounds, seconds, 8).runAll();
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /** A figure: requests per second, median and best of the rounds. */
  record Figure(double median, double best) {}

  void runAll() throws Exception {
    out.printf(
        Locale.ROOT,
        "Rustless gateway benchmarks — %s %s, %d cores, %d connections, %d rounds of %.1f s%n",
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        connections,
        rounds,
        seconds);
    HttpServer upstream = upstream();
    URI upstreamUri = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
    Path passThrough = checkout.resolve("sdk/rustless-benchmarks/target/passthrough.wasm");
    Path sayHello = checkout.resolve("extensions/say-hello/target/plugin.wasm");
    try {
      Figure direct = measure(upstreamUri.getPort(), "200 OK");
      Figure noPlugin = through(upstreamUri, "", 1, "200 OK");
      Figure pass1 = through(upstreamUri, plugin("pass", passThrough, ""), 1, "200 OK");
      Figure pass2 = through(upstreamUri, plugin("pass", passThrough, ""), 2, "200 OK");
      Figure hello1 = through(upstreamUri, plugin("hello", sayHello, "{name: Bench}"), 1, "Hello");
      Figure hello2 = through(upstreamUri, plugin("hello", sayHello, "{name: Bench}"), 2, "Hello");
      row("upstream directly (baseline)", direct, "");
      row("gateway, no plugin, to the upstream", noPlugin, ratio(noPlugin, direct, "direct"));
      row("gateway, pass-through plugin, 1 worker", pass1, ratio(pass1, direct, "direct"));
      row(
          "gateway, pass-through plugin, 2 workers",
          pass2,
          ratio(pass2, direct, "direct") + ", " + ratio(pass2, pass1, "1 worker"));
      row(
          "gateway, say-hello (local reply), 1 worker",
          hello1,
          ratio(hello1, direct, "direct") + ", " + ratio(hello1, pass1, "pass-through 1 worker"));
      row(
          "gateway, say-hello (local reply), 2 workers",
          hello2,
          ratio(hello2, direct, "direct") + ", " + ratio(hello2, hello1, "1 worker"));
    } finally {
      upstream.stop(0);
    }
    out.println();
    out.println("| case | median req/s | best req/s | ratio |");
    out.println("|---|---|---|---|");
    for (String[] r : rows) {
      out.println("| " + String.join(" | ", r) + " |");
    }
  }

  List<String[]> rows() {
    return rows;
  }

  private void row(String name, Figure f, String ratio) {
    rows.add(
        new String[] {
          name,
          String.format(Locale.ROOT, "%,.0f", f.median),
          String.format(Locale.ROOT, "%,.0f", f.best),
          ratio
        });
    out.printf(Locale.ROOT, "%-48s %10.0f req/s (best %.0f) %s%n", name, f.median, f.best, ratio);
  }

  private static String ratio(Figure a, Figure b, String what) {
    return String.format(Locale.ROOT, "%.2f× %s", a.median / b.median, what);
  }

  private static String plugin(String name, Path wasm, String config) {
    return "apiVersion: extensions.higress.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: "
        + name
        + "\n  namespace: higress-system\nspec:\n  url: file://"
        + wasm
        + "\n"
        + (config.isEmpty() ? "" : "  defaultConfig: " + config + "\n");
  }

  private Figure through(URI upstream, String resources, int workers, String expect)
      throws Exception {
    Path dir = Files.createTempDirectory("rustless-gateway-bench");
    Files.writeString(dir.resolve("resources.yaml"), resources);
    try (Gateway g =
        Gateway.builder()
            .resources(new FileResourceSource(List.of(dir), Duration.ofSeconds(60)))
            .upstream(upstream)
            .workers(workers)
            .registryAccess(RegistryAccess.builder().plainHttp(true).environment(Map.of()).build())
            .log(line -> {})
            .start()) {
      if (!resources.isEmpty() && g.config().chain().isEmpty()) {
        throw new IllegalStateException("the plugin did not load: " + g.plugins());
      }
      return measure(g.address().getPort(), expect);
    }
  }

  /** Keep-alive load on 127.0.0.1:{@code port}; every answer must contain {@code expect}. */
  private Figure measure(int port, String expect) throws Exception {
    run(port, expect, Math.max(0.5, seconds)); // warm-up
    double[] rps = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      rps[r] = run(port, expect, seconds);
    }
    Arrays.sort(rps);
    return new Figure(rps[rounds / 2], rps[rounds - 1]);
  }

  private double run(int port, String expect, double secs) throws Exception {
    AtomicBoolean go = new AtomicBoolean(true);
    AtomicLong done = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(connections);
    CountDownLatch start = new CountDownLatch(1);
    for (int c = 0; c < connections; c++) {
      Thread t =
          new Thread(
              () -> {
                try (KeepAlive client = new KeepAlive(port)) {
                  ready.countDown();
                  start.await();
                  while (go.get()) {
                    String answer = client.get();
                    if (!answer.contains(expect)) {
                      throw new IllegalStateException("unexpected answer: " + answer);
                    }
                    done.incrementAndGet();
                  }
                } catch (Exception e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                  ready.countDown();
                }
              },
              "bench-client-" + c);
      t.start();
      threads.add(t);
    }
    ready.await();
    long t0 = System.nanoTime();
    start.countDown();
    Thread.sleep((long) (secs * 1000));
    go.set(false);
    long n = done.get();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    for (Thread t : threads) {
      t.join(10_000);
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a client failed", failures.get(0));
    }
    return n / elapsed;
  }

  /** The upstream: 200 with a small body, on a pool as big as the connections. */
  private HttpServer upstream() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
    s.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.getResponseHeaders().set("content-type", "text/plain");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
          }
        });
    s.setExecutor(
        Executors.newFixedThreadPool(
            connections,
            r -> {
              Thread t = new Thread(r, "bench-upstream");
              t.setDaemon(true);
              return t;
            }));
    s.start();
    return s;
  }

  /** One keep-alive HTTP/1.1 connection that answers must come back on with a content-length. */
  static final class KeepAlive implements AutoCloseable {
    private static final byte[] REQUEST =
        "GET / HTTP/1.1\r\nHost: bench.example.com\r\nUser-Agent: rustless-bench\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    KeepAlive(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 8192);
      out = socket.getOutputStream();
    }

    /** The status line and the body. */
    String get() throws IOException {
      out.write(REQUEST);
      out.flush();
      StringBuilder head = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0) {
        head.append((char) b);
        int n = head.length();
        if (n >= 4
            && head.charAt(n - 4) == '\r'
            && head.charAt(n - 3) == '\n'
            && head.charAt(n - 2) == '\r'
            && head.charAt(n - 1) == '\n') {
          break;
        }
      }
      if (b < 0) {
        throw new IOException("the connection closed");
      }
      String text = head.toString();
      int length = -1;
      for (String line : text.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("content-length")) {
          length = Integer.parseInt(line.substring(colon + 1).strip());
        }
      }
      if (length < 0) {
        throw new IOException("no content-length in " + text);
      }
      byte[] body = in.readNBytes(length);
      return text.substring(0, text.indexOf("\r\n"))
          + " "
          + new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}

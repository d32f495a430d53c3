package io.rustless.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Probes and metrics over the JDK's HTTP server: {@code /healthz} (process alive), {@code /readyz}
 * (operator started, every informer healthy) on the health port; {@code /metrics} (Prometheus text)
 * on the metrics port.
 */
final class OperatorHttpServer implements AutoCloseable {

  private final List<HttpServer> servers;

  private OperatorHttpServer(List<HttpServer> servers) {
    this.servers = servers;
  }

  static OperatorHttpServer start(
      OperatorConfig config, Operator operator, PrometheusMeterRegistry registry)
      throws IOException {
    var servers = new ArrayList<HttpServer>();
    if (config.healthPort() > 0) {
      var health = HttpServer.create(new InetSocketAddress(config.healthPort()), 0);
      health.createContext("/healthz", ex -> respond(ex, () -> new Reply(200, "ok\n")));
      health.createContext(
          "/readyz",
          ex ->
              respond(
                  ex,
                  () -> {
                    var info = operator.getRuntimeInfo();
                    boolean ready = info.isStarted() && info.allEventSourcesAreHealthy();
                    return ready ? new Reply(200, "ready\n") : new Reply(503, "not ready\n");
                  }));
      health.start();
      servers.add(health);
    }
    if (config.metricsPort() > 0) {
      var metrics = HttpServer.create(new InetSocketAddress(config.metricsPort()), 0);
      metrics.createContext("/metrics", ex -> respond(ex, () -> new Reply(200, registry.scrape())));
      metrics.start();
      servers.add(metrics);
    }
    return new OperatorHttpServer(List.copyOf(servers));
  }

  private record Reply(int code, String body) {}

  private static void respond(HttpExchange exchange, Supplier<Reply> handler) throws IOException {
    Reply reply;
    try {
      reply = handler.get();
    } catch (RuntimeException e) {
      reply = new Reply(500, e + "\n");
    }
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(reply.code(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
  }
}

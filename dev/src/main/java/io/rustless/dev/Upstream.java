package io.rustless.dev;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The service behind the dev gateway: answers every request with one line naming what it got
 * ({@code upstream: GET / (host other.example.com)}), so an answer that did not come from a plugin
 * is plain to see.
 */
final class Upstream implements AutoCloseable {

  private final HttpServer server;

  private Upstream(HttpServer server) {
    this.server = server;
  }

  static Upstream start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          String host = exchange.getRequestHeaders().getFirst("Host");
          byte[] body =
              ("upstream: "
                      + exchange.getRequestMethod()
                      + " "
                      + exchange.getRequestURI()
                      + " (host "
                      + host
                      + ")\n")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (var out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(2, Daemon.threads("dev-upstream")));
    server.start();
    return new Upstream(server);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

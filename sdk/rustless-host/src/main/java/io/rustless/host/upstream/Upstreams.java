package io.rustless.testing;

import io.rustless.sdk.host.HeaderMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Routes the plugin's calls out to real services on 127.0.0.1: HTTP calls to an HTTP server, Redis
 * calls to a real redis-server. A cluster is matched by its full name ({@code
 * outbound|80||llm.dns}) or by its FQDN part ({@code llm.dns}); Redis cluster names may carry
 * {@code ?db=N}, which selects that database as Higress does.
 */
final class RealUpstreams implements AutoCloseable {
  private static final Set<String> SKIPPED_HEADERS =
      Set.of("host", "connection", "content-length", "transfer-encoding", "upgrade", "expect");

  private final Map<String, URI> http = new HashMap<>();
  private final Map<String, InetSocketAddress> redis = new HashMap<>();
  private final Map<String, Socket> redisConnections = new HashMap<>();
  private HttpClient client;

  void addHttp(String cluster, URI base) {
    http.put(cluster, base);
  }

  void addRedis(String cluster, String host, int port) {
    redis.put(cluster, new InetSocketAddress(host, port));
  }

  boolean isEmpty() {
    return http.isEmpty() && redis.isEmpty();
  }

  private static <V> V lookup(Map<String, V> routes, String upstream) {
    String name = upstream;
    int q = name.indexOf('?');
    if (q >= 0) {
      name = name.substring(0, q);
    }
    V v = routes.get(name);
    if (v == null) {
      int bar = name.lastIndexOf('|');
      if (bar >= 0) {
        v = routes.get(name.substring(bar + 1));
      }
    }
    return v;
  }

  boolean routesHttp(String upstream) {
    return lookup(http, upstream) != null;
  }

  boolean routesRedis(String upstream) {
    return lookup(redis, upstream) != null;
  }

  /** An HTTP answer: headers with {@code :status} first, body; null headers if the call failed. */
  record Answer(HeaderMap headers, byte[] body) {}

  Answer perform(HttpCallout call) {
    URI base = lookup(http, call.upstream());
    String path = call.path().isEmpty() ? "/" : call.path();
    try {
      if (client == null) {
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      }
      HttpRequest.Builder b =
          HttpRequest.newBuilder(base.resolve(path))
              .method(
                  call.method().isEmpty() ? "GET" : call.method(),
                  HttpRequest.BodyPublishers.ofByteArray(call.body()));
      if (call.timeoutMillis() > 0) {
        b.timeout(Duration.ofMillis(call.timeoutMillis()));
      }
      HeaderMap headers = call.headers();
      for (int i = 0; i < headers.size(); i++) {
        String name = headers.name(i).toLowerCase(Locale.ROOT);
        if (!name.startsWith(":") && !SKIPPED_HEADERS.contains(name)) {
          b.header(headers.name(i), headers.value(i));
        }
      }
      HttpResponse<byte[]> response =
          client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      HeaderMap.Builder out =
          HeaderMap.builder().add(":status", Integer.toString(response.statusCode()));
      for (Map.Entry<String, List<String>> e : response.headers().map().entrySet()) {
        if (e.getKey().startsWith(":")) {
          continue;
        }
        for (String v : e.getValue()) {
          out.add(e.getKey().toLowerCase(Locale.ROOT), v);
        }
      }
      return new Answer(out.build(), response.body());
    } catch (IOException e) {
      return new Answer(null, new byte[0]);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(null, new byte[0]);
    }
  }

  /** Sends one RESP command; returns the raw RESP reply, or null if Redis could not be reached. */
  byte[] perform(RedisCallout call, String[] init) {
    try {
      Socket socket = redisConnections.get(call.upstream());
      if (socket == null || socket.isClosed()) {
        socket = connect(call.upstream(), init);
        redisConnections.put(call.upstream(), socket);
      }
      return roundTrip(socket, call.query());
    } catch (IOException e) {
      Socket s = redisConnections.remove(call.upstream());
      closeQuietly(s);
      return null;
    }
  }

  private Socket connect(String upstream, String[] init) throws IOException {
    InetSocketAddress address = lookup(redis, upstream);
    Socket socket = new Socket();
    int timeout = init == null ? 1000 : Math.max(100, Integer.parseInt(init[2]));
    socket.connect(address, timeout);
    socket.setSoTimeout(Math.max(timeout, 1000));
    if (init != null && !init[1].isEmpty()) {
      byte[] auth =
          init[0].isEmpty() ? command("AUTH", init[1]) : command("AUTH", init[0], init[1]);
      expectOk(roundTrip(socket, auth), "AUTH");
    }
    int q = upstream.indexOf("?db=");
    if (q >= 0) {
      expectOk(roundTrip(socket, command("SELECT", upstream.substring(q + 4))), "SELECT");
    }
    return socket;
  }

  private static void expectOk(byte[] reply, String what) throws IOException {
    if (reply.length == 0 || reply[0] == '-') {
      throw new IOException(what + " failed: " + new String(reply, StandardCharsets.UTF_8));
    }
  }

  private static byte[] command(String... args) {
    StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
      sb.append(a).append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] roundTrip(Socket socket, byte[] query) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(query);
    out.flush();
    InputStream in = socket.getInputStream();
    return RespReader.readRaw(in);
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing a broken connection
      }
    }
  }

  @Override
  public void close() {
    for (Socket s : redisConnections.values()) {
      closeQuietly(s);
    }
    redisConnections.clear();
  }
}

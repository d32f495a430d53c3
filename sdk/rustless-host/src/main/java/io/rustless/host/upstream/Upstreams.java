package io.rustless.host.upstream;

import io.rustless.host.HttpCall;
import io.rustless.host.RedisCall;
import io.rustless.host.state.VmState.RedisClient;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a plugin's calls out really go: HTTP calls to HTTP servers, Redis calls to redis-servers. A
 * cluster is matched by its full name ({@code outbound|80||llm.dns}) or by its FQDN part ({@code
 * llm.dns}); Redis cluster names may carry {@code ?db=N}, which selects that database as Higress
 * does. Thread-safe: a VM's streams call out from their own threads at once, and Redis connections
 * come from a pool per cluster.
 */
public final class Upstreams implements AutoCloseable {
  private static final Set<String> SKIPPED_HEADERS =
      Set.of("host", "connection", "content-length", "transfer-encoding", "upgrade", "expect");

  private static final Upstreams NONE = new Upstreams(Map.of(), Map.of());

  private final Map<String, URI> http;
  private final Map<String, InetSocketAddress> redis;
  private final Map<String, Deque<Socket>> idleRedis = new LinkedHashMap<>();
  private volatile HttpClient client;

  private Upstreams(Map<String, URI> http, Map<String, InetSocketAddress> redis) {
    this.http = Map.copyOf(http);
    this.redis = Map.copyOf(redis);
  }

  /** No upstreams: every call out waits for an answer from whoever drives the VM. */
  public static Upstreams none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Upstreams to route calls out to. */
  public static final class Builder {
    private final Map<String, URI> http = new LinkedHashMap<>();
    private final Map<String, InetSocketAddress> redis = new LinkedHashMap<>();

    private Builder() {}

    /**
     * HTTP calls to {@code cluster} go to the server at {@code base}, e.g. http://127.0.0.1:8081.
     */
    public Builder http(String cluster, URI base) {
      http.put(cluster, base);
      return this;
    }

    /** Redis calls to {@code cluster} go to the redis-server at {@code host:port}. */
    public Builder redis(String cluster, String host, int port) {
      redis.put(cluster, InetSocketAddress.createUnresolved(host, port));
      return this;
    }

    public Upstreams build() {
      return http.isEmpty() && redis.isEmpty() ? NONE : new Upstreams(http, redis);
    }
  }

  public boolean isEmpty() {
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

  /** True if HTTP calls to {@code upstream} go somewhere real. */
  public boolean routesHttp(String upstream) {
    return lookup(http, upstream) != null;
  }

  /** True if Redis calls to {@code upstream} go to a real redis-server. */
  public boolean routesRedis(String upstream) {
    return lookup(redis, upstream) != null;
  }

  /** An HTTP answer: headers with {@code :status} first, and the body; null headers: it failed. */
  public record HttpAnswer(HeaderMap headers, byte[] body) {}

  /** Performs {@code call} (blocking); a failure (refused, reset, timed out) has null headers. */
  public HttpAnswer perform(HttpCall call) {
    URI base = lookup(http, call.upstream());
    String path = call.headers().get(":path").orElse("/");
    String method = call.headers().get(":method").orElse("GET");
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(base.resolve(path.isEmpty() ? "/" : path))
              .method(method, HttpRequest.BodyPublishers.ofByteArray(call.body()));
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
          client().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
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
      return new HttpAnswer(out.build(), response.body());
    } catch (IOException | IllegalArgumentException e) {
      return new HttpAnswer(null, new byte[0]);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new HttpAnswer(null, new byte[0]);
    }
  }

  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
          client = c;
        }
      }
    }
    return c;
  }

  /**
   * Sends one RESP command (blocking) on a connection set up as {@code init} says (AUTH, SELECT);
   * the raw RESP reply, or null if Redis could not be reached.
   */
  public byte[] perform(RedisCall call, RedisClient init) {
    Socket socket = null;
    try {
      socket = takeRedisConnection(call.upstream(), init);
      byte[] reply = roundTrip(socket, call.query());
      returnRedisConnection(call.upstream(), socket);
      return reply;
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      return null;
    }
  }

  private Socket takeRedisConnection(String upstream, RedisClient init) throws IOException {
    synchronized (idleRedis) {
      Deque<Socket> idle = idleRedis.get(upstream);
      Socket s = idle == null ? null : idle.pollFirst();
      if (s != null && !s.isClosed()) {
        return s;
      }
    }
    return connect(upstream, init);
  }

  private void returnRedisConnection(String upstream, Socket socket) {
    synchronized (idleRedis) {
      idleRedis.computeIfAbsent(upstream, u -> new ArrayDeque<>()).addLast(socket);
    }
  }

  private Socket connect(String upstream, RedisClient init) throws IOException {
    InetSocketAddress unresolved = lookup(redis, upstream);
    InetSocketAddress address =
        new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
    Socket socket = new Socket();
    int timeout = init == null ? 1000 : Math.max(100, init.timeoutMillis());
    try {
      socket.connect(address, timeout);
      socket.setSoTimeout(Math.max(timeout, 1000));
      if (init != null && !init.password().isEmpty()) {
        byte[] auth =
            init.username().isEmpty()
                ? command("AUTH", init.password())
                : command("AUTH", init.username(), init.password());
        expectOk(roundTrip(socket, auth), "AUTH");
      }
      int q = upstream.indexOf("?db=");
      if (q >= 0) {
        expectOk(roundTrip(socket, command("SELECT", upstream.substring(q + 4))), "SELECT");
      }
      return socket;
    } catch (IOException e) {
      closeQuietly(socket);
      throw e;
    }
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

  /** Closes the pooled Redis connections. */
  @Override
  public void close() {
    synchronized (idleRedis) {
      for (Deque<Socket> idle : idleRedis.values()) {
        for (Socket s : idle) {
          closeQuietly(s);
        }
      }
      idleRedis.clear();
    }
  }
}

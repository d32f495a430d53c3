package io.rustless.cli.registry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An OCI registry in the JVM, for a machine with nothing installed: the subset of the OCI
 * distribution spec v1.1 that ORAS and image fetchers (go-containerregistry, as in Istio and
 * Higress) use, over plain HTTP. Storage in memory or in a directory; optional basic authentication
 * with one user.
 *
 * <pre>{@code
 * try (OciRegistry registry = OciRegistry.builder().storage(RegistryStorage.directory(dir)).start()) {
 *   String image = registry.host() + "/plugins/say-hello:1.0.0";  // push with --plain-http
 * }
 * }</pre>
 */
public final class OciRegistry implements AutoCloseable {
  static {
    // The JDK server writes a response's headers and body in two writes; with Nagle's algorithm on
    // its sockets the body then waits for the client's delayed ACK (~40 ms per manifest or blob).
    // The property is read once, when the server classes load: a JVM that started a JDK server
    // before this class loaded keeps Nagle on (correct, only slower).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final PlainHttpFront front;
  private final HttpServer server;
  private final ExecutorService executor;
  private final RegistryHandler handler;
  private final RegistryStorage storage;
  private final boolean authenticated;

  private OciRegistry(
      PlainHttpFront front,
      HttpServer server,
      ExecutorService executor,
      RegistryHandler handler,
      RegistryStorage storage,
      boolean authenticated) {
    this.front = front;
    this.server = server;
    this.executor = executor;
    this.handler = handler;
    this.storage = storage;
    this.authenticated = authenticated;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The address it listens on (the real port when the builder asked for port 0). */
  public InetSocketAddress address() {
    return front.address();
  }

  /** {@code host:port} as image references use it, e.g. {@code 127.0.0.1:5000}. */
  public String host() {
    InetSocketAddress a = address();
    InetAddress ip = a.getAddress();
    String h = ip.isAnyLocalAddress() ? "127.0.0.1" : ip.getHostAddress();
    if (h.contains(":")) {
      h = "[" + h + "]";
    }
    return h + ":" + a.getPort();
  }

  /** {@code http://host:port}. */
  public URI url() {
    return URI.create("http://" + host());
  }

  public RegistryStorage storage() {
    return storage;
  }

  public boolean authenticated() {
    return authenticated;
  }

  /** Uploads started and not yet finished or cancelled. */
  public int openUploads() {
    return handler.openUploads();
  }

  /** Stops listening, waits briefly for requests in flight and discards unfinished uploads. */
  @Override
  public void close() {
    front.close();
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
    handler.closeUploads();
  }

  /** Configures an {@link OciRegistry}. */
  public static final class Builder {
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private RegistryStorage storage;
    private RegistryHandler.Credentials credentials;
    private String realm = "rustless-registry";
    private Consumer<String> accessLog = line -> {};
    private int threads = 32;
    private int maxUploads = 1000;
    private Duration uploadIdleTimeout = Duration.ofHours(1);

    private Builder() {}

    /** Where to listen (default: 127.0.0.1 on a free port). */
    public Builder address(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address);
      return this;
    }

    /** Listen on 127.0.0.1 at {@code port} (0: a free one). */
    public Builder port(int port) {
      return address(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Where to store (default: {@link RegistryStorage#inMemory()}). */
    public Builder storage(RegistryStorage storage) {
      this.storage = Objects.requireNonNull(storage);
      return this;
    }

    /** Require HTTP basic authentication as this user (default: anonymous access). */
    public Builder credentials(String username, String password) {
      if (username == null || username.isEmpty() || username.contains(":")) {
        throw new IllegalArgumentException("a user name is not empty and has no ':'");
      }
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException("the password is empty");
      }
      this.credentials =
          new RegistryHandler.Credentials(username, password.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** The realm of the basic authentication challenge. */
    public Builder realm(String realm) {
      this.realm = Objects.requireNonNull(realm);
      return this;
    }

    /** Receives one line per request: method, path, status, time. */
    public Builder accessLog(Consumer<String> accessLog) {
      this.accessLog = Objects.requireNonNull(accessLog);
      return this;
    }

    /** Requests served at once (default 32). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1");
      }
      this.threads = threads;
      return this;
    }

    /** Uploads in progress at once before POST answers 429 (default 1000). */
    public Builder maxUploads(int maxUploads) {
      if (maxUploads < 1) {
        throw new IllegalArgumentException("maxUploads must be at least 1");
      }
      this.maxUploads = maxUploads;
      return this;
    }

    /** How long an upload may sit unused before it is discarded (default one hour). */
    public Builder uploadIdleTimeout(Duration timeout) {
      this.uploadIdleTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** Binds and starts serving; throws {@link java.net.BindException} if the port is taken. */
    public OciRegistry start() throws IOException {
      RegistryStorage s = storage == null ? RegistryStorage.inMemory() : storage;
      RegistryHandler handler =
          new RegistryHandler(
              s, Optional.ofNullable(credentials), realm, accessLog, maxUploads, uploadIdleTimeout);
      // The JDK server listens on loopback only; clients reach it through the front (see there).
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      AtomicInteger n = new AtomicInteger();
      ThreadPoolExecutor executor =
          new ThreadPoolExecutor(
              threads,
              threads,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "oci-registry-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      executor.allowCoreThreadTimeOut(true);
      server.setExecutor(executor);
      server.createContext("/", handler);
      server.start();
      PlainHttpFront front;
      try {
        front = new PlainHttpFront(address, server.getAddress());
      } catch (IOException e) {
        server.stop(0);
        executor.shutdownNow();
        throw e;
      }
      return new OciRegistry(front, server, executor, handler, s, credentials != null);
    }
  }
}

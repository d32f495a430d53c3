package io.rustless.cli.registry;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry's listening socket, in front of the JDK HTTP server (which listens on a loopback
 * port of its own). It exists for one reason: a client that speaks TLS to a plain-HTTP registry (a
 * forgotten {@code --plain-http}, or a fetcher that tries HTTPS before HTTP as go-containerregistry
 * does) must be told at once. The JDK server would wait for the end of a request line that never
 * comes until the client times out; here the TLS ClientHello is recognised by its first byte and
 * answered with a plain HTTP 400, which TLS clients report as "HTTP response to HTTPS client" and
 * fall back or fail on immediately. Everything else is relayed byte for byte.
 */
final class PlainHttpFront implements Closeable {
  /** The first byte of a TLS record carrying a handshake message (the ClientHello). */
  private static final int TLS_HANDSHAKE = 0x16;

  private static final int FIRST_BYTE_TIMEOUT_MS = 60_000;

  private static final byte[] NOT_TLS =
      ("HTTP/1.1 400 Bad Request\r\n"
              + "Content-Type: text/plain; charset=utf-8\r\n"
              + "Connection: close\r\n"
              + "Content-Length: 46\r\n\r\n"
              + "This registry speaks plain HTTP, not HTTPS.\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final InetSocketAddress backend;
  private final ExecutorService pool;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  PlainHttpFront(InetSocketAddress listen, InetSocketAddress backend) throws IOException {
    this.backend = backend;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(listen, 128);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "oci-registry-io-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::accept, "oci-registry-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        open.add(client);
        pool.execute(() -> serve(client));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    Socket upstream = null;
    try {
      client.setTcpNoDelay(true);
      InputStream in = client.getInputStream();
      // A connection that never says anything does not hold a thread for ever.
      client.setSoTimeout(FIRST_BYTE_TIMEOUT_MS);
      int first = in.read();
      if (first < 0) {
        return;
      }
      client.setSoTimeout(0);
      if (first == TLS_HANDSHAKE) {
        client.getOutputStream().write(NOT_TLS);
        client.getOutputStream().flush();
        return;
      }
      upstream = new Socket();
      open.add(upstream);
      upstream.setTcpNoDelay(true);
      upstream.connect(backend);
      OutputStream toUpstream = upstream.getOutputStream();
      toUpstream.write(first);
      Socket up = upstream;
      pool.execute(
          () -> {
            relay(in, up, toUpstream);
            shutdownOutput(up);
          });
      relay(upstream.getInputStream(), client, client.getOutputStream());
    } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
      // the client or the server went away: close both sides below
    } finally {
      close(client);
      if (upstream != null) {
        close(upstream);
      }
    }
  }

  private static void relay(InputStream from, Socket to, OutputStream out) {
    byte[] buf = new byte[64 * 1024];
    try {
      int r;
      while ((r = from.read(buf)) >= 0) {
        out.write(buf, 0, r);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed: the caller closes the other
    }
  }

  private static void shutdownOutput(Socket s) {
    try {
      if (!s.isClosed()) {
        s.shutdownOutput();
      }
    } catch (IOException e) {
      // already closed
    }
  }

  private void close(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // nothing to do
    }
    for (Socket s : Set.copyOf(open)) {
      close(s);
    }
    pool.shutdownNow();
  }
}

package io.rustless.cli.gateway.http;

import io.rustless.sdk.host.HeaderMap;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 to upstreams on keep-alive connections, blocking, on the request's own thread: the
 * request head, the body as the plugins pass it (with a length when it is known before it is sent,
 * chunked otherwise), then the response head and its body read chunk by chunk as it arrives. No
 * thread hand-offs, which on a small machine cost more than the proxying itself (the JDK's HTTP
 * client made the gateway several times slower). Plain HTTP only.
 */
final class UpstreamClient implements AutoCloseable {
  private static final int MAX_IDLE_PER_HOST = 64;
  private static final long IDLE_MILLIS = 30_000;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int READ_TIMEOUT_MILLIS = 300_000;
  private static final int MAX_HEAD = 64 * 1024;

  private final Map<String, Deque<Connection>> idle = new HashMap<>();
  private boolean closed;

  /** A connection to one upstream. */
  static final class Connection implements AutoCloseable {
    final String key;
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    long idleSince;
    boolean reusable = true;

    Connection(String key, Socket socket) throws IOException {
      this.key = key;
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // nothing to add
      }
    }
  }

  /** The upstream's answer to one request. */
  record Response(int status, HeaderMap headers, Body body) {}

  /** A connection from the pool, or a new one; the boolean says whether it was pooled. */
  Connection connect(URI base) throws IOException {
    String key = base.getHost() + ":" + port(base);
    synchronized (this) {
      Deque<Connection> q = idle.get(key);
      long now = System.currentTimeMillis();
      while (q != null && !q.isEmpty()) {
        Connection c = q.pollLast();
        if (now - c.idleSince < IDLE_MILLIS && !c.socket.isClosed()) {
          return c;
        }
        c.close();
      }
    }
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(READ_TIMEOUT_MILLIS);
    s.connect(new InetSocketAddress(base.getHost(), port(base)), CONNECT_TIMEOUT_MILLIS);
    return new Connection(key, s);
  }

  private static int port(URI base) {
    return base.getPort() > 0 ? base.getPort() : 80;
  }

  /** Gives a connection back: kept for the next request if its last exchange allows it. */
  void release(Connection c) {
    if (!c.reusable) {
      c.close();
      return;
    }
    synchronized (this) {
      if (!closed) {
        Deque<Connection> q = idle.computeIfAbsent(c.key, k -> new ArrayDeque<>());
        if (q.size() < MAX_IDLE_PER_HOST) {
          c.idleSince = System.currentTimeMillis();
          q.addLast(c);
          return;
        }
      }
    }
    c.close();
  }

  /**
   * Writes the request head. {@code length}: the body's length if known, -1 for a chunked body, 0
   * for none.
   */
  static void writeHead(
      Connection c, String method, String path, String authority, HeaderMap headers, long length)
      throws IOException {
    StringBuilder sb = new StringBuilder(256);
    sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    sb.append("host: ").append(authority).append("\r\n");
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      String value = headers.value(i);
      if (!validHeader(name, value)) {
        continue; // what the client could not have sent either
      }
      sb.append(name).append(": ").append(value).append("\r\n");
    }
    if (length > 0) {
      sb.append("content-length: ").append(length).append("\r\n");
    } else if (length < 0) {
      sb.append("transfer-encoding: chunked\r\n");
    } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      sb.append("content-length: 0\r\n");
    }
    sb.append("\r\n");
    c.out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static boolean validHeader(String name, String value) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch <= ' ' || ch >= 127 || ch == ':') {
        return false;
      }
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch == '\r' || ch == '\n' || ch == 0) {
        return false;
      }
    }
    return true;
  }

  /** A chunk of a chunked request body ({@code last}: the terminating chunk follows). */
  static void writeChunk(Connection c, byte[] chunk, boolean last) throws IOException {
    if (chunk.length > 0) {
      c.out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      c.out.write(chunk);
      c.out.write(CRLF);
    }
    if (last) {
      c.out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    c.out.flush();
  }

  private static final byte[] CRLF = {'\r', '\n'};

  /** Reads the response head (skipping 1xx) and returns it with a reader for its body. */
  static Response readResponse(Connection c, String method) throws IOException {
    while (true) {
      String statusLine = readLine(c.in);
      if (statusLine == null) {
        throw new IOException("the upstream closed the connection before answering");
      }
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x answer: " + statusLine);
      }
      int status;
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("bad status line: " + statusLine, e);
      }
      HeaderMap.Builder hb = HeaderMap.builder();
      boolean chunked = false;
      long length = -1;
      boolean close = parts[0].equals("HTTP/1.0");
      int headBytes = statusLine.length();
      String line;
      while ((line = readLine(c.in)) != null && !line.isEmpty()) {
        headBytes += line.length();
        if (headBytes > MAX_HEAD) {
          throw new IOException("the upstream's response head is over 64 KiB");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).strip();
        switch (name) {
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "content-length" -> {
            try {
              length = Long.parseLong(value);
            } catch (NumberFormatException e) {
              throw new IOException("bad content-length from the upstream: " + value, e);
            }
          }
          case "connection" -> {
            String v = value.toLowerCase(Locale.ROOT);
            if (v.contains("close")) {
              close = true;
            } else if (v.contains("keep-alive")) {
              close = false;
            }
          }
          default -> {}
        }
        hb.add(name, value);
      }
      if (line == null) {
        throw new IOException("the upstream closed the connection in the middle of its head");
      }
      if (status >= 100 && status < 200 && status != 101) {
        continue; // 100 Continue and friends: the real answer follows
      }
      HeaderMap headers = hb.add(":status", Integer.toString(status)).build();
      boolean noBody =
          method.equals("HEAD") || status == 204 || status == 304 || (!chunked && length == 0);
      if (close) {
        c.reusable = false;
      }
      Body body;
      if (noBody) {
        body = new Body(c, Body.Kind.NONE, 0);
      } else if (chunked) {
        body = new Body(c, Body.Kind.CHUNKED, 0);
      } else if (length >= 0) {
        body = new Body(c, Body.Kind.LENGTH, length);
      } else {
        c.reusable = false; // the body ends when the connection does
        body = new Body(c, Body.Kind.UNTIL_CLOSE, 0);
      }
      return new Response(status, headers, body);
    }
  }

  /** A response body, read in the chunks it arrives in. */
  static final class Body {
    enum Kind {
      NONE,
      LENGTH,
      CHUNKED,
      UNTIL_CLOSE
    }

    private final Connection c;
    private final Kind kind;
    private long left;
    private boolean done;

    Body(Connection c, Kind kind, long length) {
      this.c = c;
      this.kind = kind;
      this.left = length;
      this.done = kind == Kind.NONE || (kind == Kind.LENGTH && length == 0);
    }

    boolean isEmpty() {
      return kind == Kind.NONE;
    }

    /** The next piece of the body; null at its end. */
    byte[] next() throws IOException {
      if (done) {
        return null;
      }
      switch (kind) {
        case LENGTH -> {
          int n = (int) Math.min(left, 16 * 1024);
          byte[] b = c.in.readNBytes(n);
          if (b.length < n) {
            c.reusable = false;
            throw new IOException("the upstream closed the connection in the middle of the body");
          }
          left -= n;
          done = left == 0;
          return b;
        }
        case CHUNKED -> {
          String size = readLine(c.in);
          if (size == null) {
            c.reusable = false;
            throw new IOException("the upstream closed the connection in the middle of the body");
          }
          int semi = size.indexOf(';');
          long n;
          try {
            n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
          } catch (NumberFormatException e) {
            c.reusable = false;
            throw new IOException("bad chunk size from the upstream: " + size, e);
          }
          if (n == 0) {
            String trailer;
            while ((trailer = readLine(c.in)) != null && !trailer.isEmpty()) {
              // trailers are not carried
            }
            done = true;
            return null;
          }
          byte[] b = c.in.readNBytes((int) n);
          readLine(c.in);
          if (b.length < n) {
            c.reusable = false;
            throw new IOException("the upstream closed the connection in the middle of a chunk");
          }
          return b;
        }
        case UNTIL_CLOSE -> {
          byte[] buf = new byte[16 * 1024];
          int n = c.in.read(buf);
          if (n < 0) {
            done = true;
            return null;
          }
          return java.util.Arrays.copyOf(buf, n);
        }
        default -> {
          done = true;
          return null;
        }
      }
    }

    /** True once the whole body was read (the connection can serve again). */
    boolean finished() {
      return done;
    }
  }

  /** A CRLF- (or LF-) terminated line in ISO-8859-1, without its end; null at end of stream. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    int ch;
    while ((ch = in.read()) >= 0) {
      if (ch == '\n') {
        byte[] bytes = b.toByteArray();
        int len =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      if (b.size() > MAX_HEAD) {
        throw new IOException("a line from the upstream is over 64 KiB");
      }
      b.write(ch);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Deque<Connection> q : idle.values()) {
      for (Connection c : q) {
        c.close();
      }
    }
    idle.clear();
  }
}

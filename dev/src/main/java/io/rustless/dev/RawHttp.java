package io.rustless.dev;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 GET with any {@code Host} header (the JDK's client refuses to set it), as {@code
 * curl -H 'Host: …'} sends it; {@code Connection: close}, so the answer is what comes until EOF.
 */
final class RawHttp {

  private RawHttp() {}

  /** Status code and body (chunked bodies decoded). */
  record Answer(int status, String body) {}

  static Answer get(URI server, String host, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nUser-Agent: rustless-dev\r\nAccept: */*\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] all = readAll(s.getInputStream());
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int headEnd = text.indexOf("\r\n\r\n");
      if (headEnd < 0) {
        throw new IOException("no complete HTTP answer: " + text);
      }
      String head = text.substring(0, headEnd);
      String[] statusLine = head.split("\r\n", 2)[0].split(" ");
      int status = Integer.parseInt(statusLine[1]);
      byte[] body = java.util.Arrays.copyOfRange(all, headEnd + 4, all.length);
      if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = dechunk(body);
      }
      return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    var buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toByteArray();
  }

  private static byte[] dechunk(byte[] body) throws IOException {
    var out = new ByteArrayOutputStream();
    int i = 0;
    while (i < body.length) {
      int lineEnd = indexOf(body, i);
      if (lineEnd < 0) {
        throw new IOException("bad chunked body");
      }
      String sizeText = new String(body, i, lineEnd - i, StandardCharsets.US_ASCII).strip();
      int semi = sizeText.indexOf(';');
      int size = Integer.parseInt(semi < 0 ? sizeText : sizeText.substring(0, semi), 16);
      if (size == 0) {
        break;
      }
      out.write(body, lineEnd + 2, size);
      i = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}

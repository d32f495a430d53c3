package io.rustless.host.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RESP (Redis serialisation protocol) in the host. Written apart from the SDK's codec so the
 * two check each other.
 */
public final class RespReader {
  private RespReader() {}

  /** A command (an array of bulk strings) as its arguments. */
  public static List<String> readCommand(byte[] resp) {
    try {
      Object value = read(new java.io.ByteArrayInputStream(resp));
      List<String> out = new ArrayList<>();
      if (value instanceof List<?> list) {
        for (Object o : list) {
          out.add(
              o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o));
        }
      }
      return out;
    } catch (IOException e) {
      throw new IllegalArgumentException("not a RESP command: " + e.getMessage(), e);
    }
  }

  /** Reads exactly one RESP value from {@code in} and returns its raw bytes. */
  public static byte[] readRaw(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    copyValue(in, out);
    return out.toByteArray();
  }

  private static void copyValue(InputStream in, ByteArrayOutputStream out) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new IOException("connection closed");
    }
    out.write(type);
    String line = line(in);
    out.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    switch (type) {
      case '$':
        {
          int len = Integer.parseInt(line);
          if (len >= 0) {
            out.writeBytes(in.readNBytes(len + 2));
          }
          break;
        }
      case '*':
        {
          int n = Integer.parseInt(line);
          for (int i = 0; i < n; i++) {
            copyValue(in, out);
          }
          break;
        }
      default:
        break; // + - : are complete with their line
    }
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
      case '-':
        return line;
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int len = Integer.parseInt(line);
          if (len < 0) {
            return null;
          }
          byte[] b = in.readNBytes(len);
          in.readNBytes(2);
          return b;
        }
      case '*':
        {
          int n = Integer.parseInt(line);
          List<Object> items = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            items.add(read(in));
          }
          return items;
        }
      default:
        throw new IOException("unknown RESP type " + (char) type);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("truncated RESP line");
      }
      if (prev == '\r' && c == '\n') {
        byte[] bytes = b.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      b.write(c);
      prev = c;
    }
  }
}

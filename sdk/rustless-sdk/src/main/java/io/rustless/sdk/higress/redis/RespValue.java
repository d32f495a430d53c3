package io.rustless.sdk.higress.redis;

import io.rustless.sdk.lang.Decimal;
import io.rustless.sdk.lang.Utf8;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A RESP2 value: simple string, error, integer, bulk string (or nil) or array (or nil). {@link
 * #parse} reads exactly one value; the {@code as…} accessors convert as Redis clients do (a bulk or
 * simple string reads as text or as a number, nil as empty).
 */
public final class RespValue {
  /** The RESP kinds. */
  public enum Kind {
    SIMPLE_STRING,
    ERROR,
    INTEGER,
    BULK_STRING,
    ARRAY,
    NIL
  }

  private static final RespValue NIL = new RespValue(Kind.NIL, null, 0, null);

  private final Kind kind;
  private final byte[] bytes;
  private final long integer;
  private final List<RespValue> items;

  private RespValue(Kind kind, byte[] bytes, long integer, List<RespValue> items) {
    this.kind = kind;
    this.bytes = bytes;
    this.integer = integer;
    this.items = items;
  }

  public static RespValue nil() {
    return NIL;
  }

  public static RespValue simple(String s) {
    return new RespValue(Kind.SIMPLE_STRING, Utf8.encode(s), 0, null);
  }

  public static RespValue error(String message) {
    return new RespValue(Kind.ERROR, Utf8.encode(message), 0, null);
  }

  public static RespValue integer(long n) {
    return new RespValue(Kind.INTEGER, null, n, null);
  }

  public static RespValue bulk(byte[] b) {
    return new RespValue(Kind.BULK_STRING, b.clone(), 0, null);
  }

  public static RespValue array(List<RespValue> items) {
    return new RespValue(Kind.ARRAY, null, 0, Collections.unmodifiableList(new ArrayList<>(items)));
  }

  public Kind kind() {
    return kind;
  }

  public boolean isNil() {
    return kind == Kind.NIL;
  }

  public boolean isError() {
    return kind == Kind.ERROR;
  }

  /** The text of a string, error or integer reply; "" for nil. */
  public String asString() {
    // if-chains, not a switch: an enum switch costs a synthetic switch-map class (~1 KB of Wasm)
    if (kind == Kind.SIMPLE_STRING || kind == Kind.BULK_STRING || kind == Kind.ERROR) {
      return Utf8.decode(bytes);
    }
    if (kind == Kind.INTEGER) {
      return Long.toString(integer);
    }
    if (kind == Kind.NIL) {
      return "";
    }
    throw new RespException("expected a string reply but got an array");
  }

  /** The raw bytes of a string reply. */
  public byte[] asBytes() {
    if (kind == Kind.BULK_STRING || kind == Kind.SIMPLE_STRING || kind == Kind.ERROR) {
      return bytes.clone();
    }
    if (kind == Kind.NIL) {
      return new byte[0];
    }
    return Utf8.encode(asString());
  }

  /** An integer reply, or a string reply that holds an integer. */
  public long asLong() {
    if (kind == Kind.INTEGER) {
      return integer;
    }
    String s = asString();
    try {
      return Decimal.parseLong(s);
    } catch (NumberFormatException e) {
      throw new RespException("expected an integer reply but got '" + s + "'");
    }
  }

  /** The items of an array reply; empty for nil. */
  public List<RespValue> asList() {
    if (kind == Kind.ARRAY) {
      return items;
    }
    if (kind == Kind.NIL) {
      return Collections.emptyList();
    }
    throw new RespException("expected an array reply but got " + kind);
  }

  @Override
  public String toString() {
    return text();
  }

  private String text() {
    if (kind == Kind.NIL) {
      return "(nil)";
    }
    if (kind == Kind.INTEGER) {
      return "(integer) " + integer;
    }
    if (kind == Kind.ERROR) {
      return "(error) " + asString();
    }
    if (kind == Kind.ARRAY) {
      // not items.toString(): a list's elements are typed Object for TeaVM's analysis, and
      // toString() on them would keep every toString of the plugin in the module
      StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < items.size(); i++) {
        out.append(i == 0 ? "" : ", ").append(items.get(i).text());
      }
      return out.append(']').toString();
    }
    return '"' + asString() + '"';
  }

  /** Parses exactly one value; throws {@link RespException} for anything else. */
  public static RespValue parse(byte[] resp) {
    int[] pos = {0};
    RespValue v = read(resp, pos, 0);
    if (pos[0] != resp.length) {
      throw new RespException("unexpected data after the RESP value at offset " + pos[0]);
    }
    return v;
  }

  private static RespValue read(byte[] in, int[] pos, int depth) {
    if (depth > 64) {
      throw new RespException("RESP nesting deeper than 64");
    }
    if (pos[0] >= in.length) {
      throw new RespException("truncated RESP value at offset " + pos[0]);
    }
    byte type = in[pos[0]++];
    int lineEnd = lineEnd(in, pos[0]);
    String line = Utf8.decode(in, pos[0], lineEnd - pos[0]);
    pos[0] = lineEnd + 2;
    switch (type) {
      case '+':
        return simple(line);
      case '-':
        return error(line);
      case ':':
        return integer(number(line));
      case '$':
        {
          long n = number(line);
          if (n < 0) {
            return NIL;
          }
          if (n > in.length - pos[0] - 2) {
            throw new RespException("truncated bulk string of " + n + " bytes");
          }
          byte[] b = new byte[(int) n];
          System.arraycopy(in, pos[0], b, 0, (int) n);
          pos[0] += (int) n;
          if (in[pos[0]] != '\r' || in[pos[0] + 1] != '\n') {
            throw new RespException("bulk string not followed by CRLF at offset " + pos[0]);
          }
          pos[0] += 2;
          return new RespValue(Kind.BULK_STRING, b, 0, null);
        }
      case '*':
        {
          long n = number(line);
          if (n < 0) {
            return NIL;
          }
          if (n > in.length) {
            throw new RespException(
                "array of " + n + " items cannot fit in " + in.length + " bytes");
          }
          List<RespValue> items = new ArrayList<>((int) n);
          for (long i = 0; i < n; i++) {
            items.add(read(in, pos, depth + 1));
          }
          return new RespValue(Kind.ARRAY, null, 0, Collections.unmodifiableList(items));
        }
      default:
        throw new RespException("unknown RESP type byte 0x" + Integer.toHexString(type & 0xFF));
    }
  }

  private static int lineEnd(byte[] in, int from) {
    for (int i = from; i + 1 < in.length; i++) {
      if (in[i] == '\r' && in[i + 1] == '\n') {
        return i;
      }
    }
    throw new RespException("truncated RESP line at offset " + from);
  }

  private static long number(String s) {
    try {
      return Decimal.parseLong(s);
    } catch (NumberFormatException e) {
      throw new RespException("not a RESP number: '" + s + "'");
    }
  }

  /** A command as RESP: an array of bulk strings. */
  public static byte[] encodeCommand(List<byte[]> args) {
    int size = 16;
    for (byte[] a : args) {
      size += a.length + 16;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(size);
    writeLine(out, '*', args.size());
    for (byte[] a : args) {
      writeLine(out, '$', a.length);
      out.write(a, 0, a.length);
      out.write('\r');
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static void writeLine(java.io.ByteArrayOutputStream out, char type, int n) {
    out.write(type);
    byte[] digits = Utf8.encode(Integer.toString(n));
    out.write(digits, 0, digits.length);
    out.write('\r');
    out.write('\n');
  }
}

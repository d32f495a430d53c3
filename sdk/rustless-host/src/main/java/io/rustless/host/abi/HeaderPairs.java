package io.rustless.host.abi;

import io.rustless.sdk.host.HeaderMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ABI's header map encoding: a count, then each name's and value's length (little-endian u32s),
 * then each name and value followed by a NUL.
 */
public final class HeaderPairs {
  private HeaderPairs() {}

  /** The map in {@code raw}; empty for no bytes, null if malformed. */
  public static HeaderMap decode(byte[] raw) {
    if (raw.length == 0) {
      return HeaderMap.empty();
    }
    if (raw.length < 4) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int n = b.getInt();
    if (n < 0 || 4L + 8L * n > raw.length) {
      return null;
    }
    int[] lens = new int[2 * n];
    for (int i = 0; i < 2 * n; i++) {
      lens[i] = b.getInt();
    }
    HeaderMap.Builder out = HeaderMap.builder();
    int pos = 4 + 8 * n;
    for (int i = 0; i < n; i++) {
      int nl = lens[2 * i];
      int vl = lens[2 * i + 1];
      if (nl < 0 || vl < 0 || (long) pos + nl + 1 + vl + 1 > raw.length) {
        return null;
      }
      String name = new String(raw, pos, nl, StandardCharsets.UTF_8);
      pos += nl + 1;
      byte[] value = Arrays.copyOfRange(raw, pos, pos + vl);
      pos += vl + 1;
      out.add(name, value);
    }
    return out.build();
  }

  /** The encoding of {@code map}; no bytes for an empty map, as Envoy answers. */
  public static byte[] encode(HeaderMap map) {
    int n = map.size();
    if (n == 0) {
      return new byte[0];
    }
    byte[][] names = new byte[n][];
    byte[][] values = new byte[n][];
    int total = 4 + 8 * n;
    for (int i = 0; i < n; i++) {
      names[i] = map.name(i).getBytes(StandardCharsets.UTF_8);
      values[i] = map.valueBytes(i);
      total += names[i].length + values[i].length + 2;
    }
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(n);
    for (int i = 0; i < n; i++) {
      b.putInt(names[i].length).putInt(values[i].length);
    }
    for (int i = 0; i < n; i++) {
      b.put(names[i]).put((byte) 0).put(values[i]).put((byte) 0);
    }
    return b.array();
  }
}

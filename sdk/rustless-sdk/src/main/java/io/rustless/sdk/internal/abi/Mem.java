package io.rustless.sdk.internal.abi;

import io.rustless.sdk.api.PluginRuntime;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.HeapRoom;
import io.rustless.sdk.lang.Utf8;
import java.util.List;
import org.teavm.interop.Address;

/**
 * Copies between linear memory and Java values, with UTF-8 done by hand (see {@link Utf8}). Writers
 * return a "slice": pointer and length packed in a {@code long} ({@link #ptr}, {@link #len}), so no
 * state is shared between calls.
 */
final class Mem {
  private Mem() {}

  static long slice(int ptr, int len) {
    return ((long) len << 32) | (ptr & 0xFFFFFFFFL);
  }

  static int ptr(long slice) {
    return (int) slice;
  }

  static int len(long slice) {
    return (int) (slice >>> 32);
  }

  /** Buffers above this size are checked against the free heap before they are copied in. */
  private static final int LARGE = 64 * 1024;

  /**
   * Makes sure {@code bytes} more fit in the Java heap, collecting first if needed. Running out of
   * memory would trap (TeaVM ends in {@code unreachable}); an exception can be caught.
   */
  static void ensureHeapRoom(long bytes) {
    HeapRoom.ensure(PluginRuntime.host(), "a host buffer", bytes, bytes + bytes / 16 + 4096);
  }

  /** A fresh array holding {@code len} bytes at {@code ptr}. */
  static byte[] read(int ptr, int len) {
    if (len > LARGE) {
      ensureHeapRoom(len);
    }
    byte[] out = new byte[len];
    if (len > 0) {
      Address.moveMemoryBlock(Address.fromInt(ptr), Address.ofData(out), len);
    }
    return out;
  }

  /** The UTF-8 text of {@code len} bytes at {@code ptr}; malformed bytes become U+FFFD. */
  static String readUtf8(int ptr, int len) {
    Address p = Address.fromInt(ptr);
    int i = 0;
    while (i < len && p.add(i).getByte() >= 0) {
      i++;
    }
    if (len > LARGE) {
      ensureHeapRoom(5L * len); // bytes, chars and the String for the worst (non-ASCII) path
    }
    if (i == len) {
      char[] chars = new char[len];
      for (int j = 0; j < len; j++) {
        chars[j] = (char) p.add(j).getByte();
      }
      return new String(chars);
    }
    return Utf8.decode(read(ptr, len));
  }

  /**
   * UTF-8 kept for strings and header maps written again and again, by identity: header names and
   * property paths that are constants in the plugin, a reply's constant headers. An object is kept
   * the second time it comes (a string built per request never comes twice). A lookup is two probes
   * at most (this runs for every name and path of every host call): a string's set comes from its
   * hash (computed once per string); header maps share one set. Not {@code
   * System.identityHashCode}: with it, MillionRequestsTest trapped on a wild address in both
   * engines (the cause inside TeaVM's runtime was not looked into).
   */
  private static final int STRING_SETS = 16;

  /** Two ways per set: a plugin's few constants rarely share one. Header maps get set 16. */
  private static final int KEPT = 2 * (STRING_SETS + 2);

  private static final Object[] keptKeys = new Object[KEPT];
  private static final byte[][] keptBytes = new byte[KEPT][];
  private static final Object[] seenOnce = new Object[KEPT];

  /** The first of the two slots where {@code key} may be kept. */
  private static int set(Object key) {
    if (key instanceof String s) {
      int h = s.hashCode();
      return 2 * ((h ^ (h >>> 16)) & (STRING_SETS - 1));
    }
    if (key instanceof HeaderMap) {
      return 2 * STRING_SETS;
    }
    return KEPT - 2; // a path joined per call: never seen twice
  }

  /** The bytes kept for {@code key} (in the two slots from {@code set}), or null. */
  private static byte[] kept(Object key, int set) {
    if (keptKeys[set] == key) {
      return keptBytes[set];
    }
    return keptKeys[set + 1] == key ? keptBytes[set + 1] : null;
  }

  /** True if {@code key} was seen lately in its set and not kept; else notes it. */
  private static boolean secondSighting(Object key, int set) {
    if (seenOnce[set] == key || seenOnce[set + 1] == key) {
      seenOnce[set] = null;
      seenOnce[set + 1] = null;
      return true;
    }
    seenOnce[set + 1] = seenOnce[set];
    seenOnce[set] = key;
    return false;
  }

  private static void keep(Object key, int set, byte[] bytes) {
    keptKeys[set + 1] = keptKeys[set];
    keptBytes[set + 1] = keptBytes[set];
    keptKeys[set] = key;
    keptBytes[set] = bytes;
  }

  /**
   * {@code s} as UTF-8 in the arena. Kept bytes are copied there too, not passed where they are on
   * the Java heap: a host call often writes several arguments, and a later one may allocate,
   * collect and move an earlier one's array before the call is made.
   */
  static long writeUtf8(CharSequence s) {
    int set = set(s);
    byte[] known = kept(s, set);
    if (known != null) {
      return write(known);
    }
    long slice = encodeUtf8(s);
    if (s instanceof String && len(slice) <= 256 && secondSighting(s, set)) {
      keep(s, set, read(ptr(slice), len(slice)));
    }
    return slice;
  }

  private static long encodeUtf8(CharSequence s) {
    int n = s.length();
    int ptr = Arena.allocate(n * 3);
    Address p = Address.fromInt(ptr);
    int w = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        p.add(w++).putByte((byte) c);
      } else {
        // rare path: encode the remainder on the heap, then copy
        byte[] rest = Utf8.encode(s.subSequence(i, n));
        Address.moveMemoryBlock(Address.ofData(rest), p.add(w), rest.length);
        w += rest.length;
        break;
      }
    }
    return slice(ptr, w);
  }

  /** Copies {@code data} into the arena. */
  static long write(byte[] data) {
    int ptr = Arena.allocate(data.length);
    if (data.length > 0) {
      Address.moveMemoryBlock(Address.ofData(data), Address.fromInt(ptr), data.length);
    }
    return slice(ptr, data.length);
  }

  /** {@code segments} joined by NUL: the ABI's property path. */
  static long writePath(List<String> segments) {
    if (segments.size() == 1) {
      return writeUtf8(segments.get(0));
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      if (i > 0) {
        sb.append('\0');
      }
      sb.append(segments.get(i));
    }
    return writeUtf8(sb);
  }

  /**
   * Serialises {@code map} in the ABI's pair format: {@code u32 count}, then {@code u32 name_len,
   * u32 value_len} per entry, then each name and value followed by a NUL.
   */
  static long writeHeaderMap(HeaderMap map) {
    int set = set(map);
    byte[] known = kept(map, set);
    if (known != null) {
      return write(known);
    }
    long slice = encodeHeaderMap(map);
    if (len(slice) <= 1024 && secondSighting(map, set)) {
      keep(map, set, read(ptr(slice), len(slice)));
    }
    return slice;
  }

  private static long encodeHeaderMap(HeaderMap map) {
    int n = map.size();
    byte[][] names = new byte[n][];
    byte[][] values = new byte[n][];
    int total = 4 + 8 * n;
    for (int i = 0; i < n; i++) {
      names[i] = Utf8.encode(map.name(i));
      values[i] = map.valueBytes(i);
      total += names[i].length + values[i].length + 2;
    }
    int ptr = Arena.allocate(total);
    Address p = Address.fromInt(ptr);
    p.putInt(n);
    Address lens = p.add(4);
    Address data = p.add(4 + 8 * n);
    for (int i = 0; i < n; i++) {
      lens.add(8 * i).putInt(names[i].length);
      lens.add(8 * i + 4).putInt(values[i].length);
      data = put(data, names[i]);
      data = put(data, values[i]);
    }
    return slice(ptr, total);
  }

  private static Address put(Address at, byte[] bytes) {
    if (bytes.length > 0) {
      Address.moveMemoryBlock(Address.ofData(bytes), at, bytes.length);
    }
    at.add(bytes.length).putByte((byte) 0);
    return at.add(bytes.length + 1);
  }

  /** Parses the ABI's pair format ({@link #writeHeaderMap}) at {@code ptr}. */
  static HeaderMap readHeaderMap(int ptr, int size) {
    if (size < 4) {
      return HeaderMap.empty();
    }
    Address p = Address.fromInt(ptr);
    int n = p.getInt();
    if (n <= 0 || 4L + 8L * n > size) {
      return HeaderMap.empty();
    }
    String[] names = new String[n];
    byte[][] values = new byte[n][];
    int data = ptr + 4 + 8 * n;
    int end = ptr + size;
    for (int i = 0; i < n; i++) {
      int nameLen = p.add(4 + 8 * i).getInt();
      int valueLen = p.add(8 + 8 * i).getInt();
      if (nameLen < 0 || valueLen < 0 || (long) data + nameLen + valueLen + 2 > end) {
        return HeaderMap.wrap(names, values, i); // truncated input: keep what parsed
      }
      names[i] = readUtf8(data, nameLen);
      data += nameLen + 1;
      values[i] = read(data, valueLen);
      data += valueLen + 1;
    }
    return HeaderMap.wrap(names, values, n);
  }
}

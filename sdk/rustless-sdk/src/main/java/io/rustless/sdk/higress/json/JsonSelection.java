package io.rustless.sdk.higress.json;

import io.rustless.sdk.lang.Utf8;
import java.util.Arrays;
import java.util.List;

/**
 * The values that some {@link JsonPath}s select in raw UTF-8 JSON, found without building a tree:
 * each as a byte span of the text, with the string values decoded on demand. {@link
 * #replaceStrings} writes new string values into a copy of the text and leaves every other byte as
 * it was, so a plugin that masks one field does not reformat a request body.
 *
 * <p>The text is validated as strictly as {@link Json#parse} does (same grammar, same nesting cap);
 * malformed JSON throws {@link JsonException} naming the offset. Memory: the text itself, three
 * ints per selected value, and the strings the caller decodes.
 */
public final class JsonSelection {
  private final byte[] json;
  private int count;
  private int[] paths = new int[8];
  private int[] starts = new int[8];
  private int[] ends = new int[8];
  private byte[] kinds = new byte[8];
  private boolean rootIsObject;

  private JsonSelection(byte[] json) {
    this.json = json;
  }

  /**
   * Scans {@code json} for the values {@code paths} select (a value once per path selecting it).
   */
  public static JsonSelection scan(byte[] json, JsonPath... paths) {
    return scan(json, Arrays.asList(paths));
  }

  /** Scans {@code json} for the values {@code paths} select, in document order. */
  public static JsonSelection scan(byte[] json, List<JsonPath> paths) {
    JsonSelection out = new JsonSelection(json);
    int first = 0;
    int batches = 0;
    boolean negative = false;
    for (JsonPath p : paths) {
      negative |= p.hasNegativeIndex();
    }
    int[] lengths = null;
    if (negative) {
      Scanner counter = new Scanner(json, out, new JsonPath[0], new int[0], null);
      counter.countLengths = true;
      counter.run();
      lengths = counter.lengths.toArray();
    }
    // the automata of one pass share a long: paths are scanned in batches that fit
    while (first < paths.size() || (batches == 0 && paths.isEmpty())) {
      int bits = 0;
      int end = first;
      while (end < paths.size() && bits + paths.get(end).segments() + 1 <= 64) {
        bits += paths.get(end).segments() + 1;
        end++;
      }
      JsonPath[] batch = paths.subList(first, end).toArray(new JsonPath[0]);
      int[] ids = new int[batch.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = first + i;
      }
      new Scanner(json, out, batch, ids, lengths).run();
      batches++;
      first = end;
    }
    if (batches > 1) {
      out.sortByStart();
    }
    return out;
  }

  /** The scanned text. */
  public byte[] json() {
    return json;
  }

  /** True if the text is a JSON object (rather than an array or a scalar). */
  public boolean rootIsObject() {
    return rootIsObject;
  }

  /** The number of selected values. */
  public int size() {
    return count;
  }

  /** Which path (its position in the list given to {@link #scan}) selected value {@code i}. */
  public int pathIndex(int i) {
    check(i);
    return paths[i];
  }

  /** The offset of value {@code i}'s first byte. */
  public int start(int i) {
    check(i);
    return starts[i];
  }

  /** The offset just after value {@code i}'s last byte. */
  public int end(int i) {
    check(i);
    return ends[i];
  }

  /** "object", "array", "string", "number", "boolean" or "null". */
  public String typeName(int i) {
    check(i);
    switch (kinds[i]) {
      case '{':
        return "object";
      case '[':
        return "array";
      case '"':
        return "string";
      case 't':
      case 'f':
        return "boolean";
      case 'n':
        return "null";
      default:
        return "number";
    }
  }

  public boolean isString(int i) {
    check(i);
    return kinds[i] == '"';
  }

  /** True if value {@code i} is the literal {@code true}. */
  public boolean isTrue(int i) {
    check(i);
    return kinds[i] == 't';
  }

  /** The decoded value of string {@code i}. */
  public String string(int i) {
    if (!isString(i)) {
      throw new JsonException("expected a string but got " + typeName(i));
    }
    return decode(json, starts[i] + 1, ends[i] - 1);
  }

  /**
   * The decoded value of string {@code i} as chars: what {@link #string(int)} holds, without the
   * String (under TeaVM, {@code toCharArray()} copies char by char).
   */
  public char[] chars(int i) {
    if (!isString(i)) {
      throw new JsonException("expected a string but got " + typeName(i));
    }
    return decodeChars(json, starts[i] + 1, ends[i] - 1);
  }

  /** Value {@code i} parsed into a tree. */
  public JsonValue value(int i) {
    check(i);
    return Json.parse(json, starts[i], ends[i] - starts[i]);
  }

  /**
   * A copy of the text in which value {@code i} becomes the JSON string {@code replacements[i]}
   * wherever that is not null; every other byte is kept. Replaced values must not nest.
   */
  public byte[] replaceStrings(String[] replacements) {
    char[][] chars = new char[replacements.length][];
    for (int i = 0; i < replacements.length; i++) {
      String r = replacements[i];
      if (r != null) {
        chars[i] = new char[r.length()];
        r.getChars(0, r.length(), chars[i], 0);
      }
    }
    return replaceStrings(chars);
  }

  /** {@link #replaceStrings(String[])} with the replacements as chars. */
  public byte[] replaceStrings(char[][] replacements) {
    if (replacements.length != count) {
      throw new IllegalArgumentException(
          "expected " + count + " replacements but got " + replacements.length);
    }
    long size = json.length;
    int lastEnd = -1;
    for (int i = 0; i < count; i++) {
      if (replacements[i] == null) {
        continue;
      }
      if (starts[i] < lastEnd) {
        throw new IllegalArgumentException("replaced values overlap at offset " + starts[i]);
      }
      lastEnd = ends[i];
      size += quotedLength(replacements[i]) - (ends[i] - starts[i]);
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("the result would be larger than 2 GiB");
    }
    byte[] out = new byte[(int) size];
    int from = 0;
    int to = 0;
    for (int i = 0; i < count; i++) {
      if (replacements[i] == null) {
        continue;
      }
      int keep = starts[i] - from;
      System.arraycopy(json, from, out, to, keep);
      to = writeQuoted(replacements[i], out, to + keep);
      from = ends[i];
    }
    System.arraycopy(json, from, out, to, json.length - from);
    return out;
  }

  private static final byte[] HEX = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
  };

  /** The UTF-8 length of {@code s} as a JSON string literal (what {@link JsonString} writes). */
  static int quotedLength(char[] s) {
    int n = 2;
    int len = s.length;
    for (int i = 0; i < len; i++) {
      char c = s[i];
      // each ordering of c against a constant tested once on a path: TeaVM keeps a comparison
      // tested twice as a value, and that is a call to WasmRuntime.compare per character
      if (c < 0x80) {
        if (c < 0x20) {
          n += c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 2 : 6;
        } else {
          n += c == '"' || c == '\\' ? 2 : 1;
        }
      } else if (c < 0x800) {
        n += 2;
      } else if (c == 0x2028 || c == 0x2029) {
        n += 6;
      } else if ((c & 0xFC00) == 0xD800 && i + 1 < len && (s[i + 1] & 0xFC00) == 0xDC00) {
        // a surrogate pair (tested inline: Character's methods are calls under TeaVM)
        n += 4;
        i++;
      } else {
        n += 3; // BMP character, or an unpaired surrogate written as U+FFFD
      }
    }
    return n;
  }

  /** Writes {@code s} as a JSON string literal in UTF-8 at {@code p}; returns the end. */
  static int writeQuoted(char[] s, byte[] out, int p) {
    out[p++] = '"';
    int len = s.length;
    for (int i = 0; i < len; i++) {
      char c = s[i];
      if (c < 0x80 && c > 0x1F) { // not c >= 0x20: see quotedLength
        if (c == '"' || c == '\\') {
          out[p++] = '\\';
        }
        out[p++] = (byte) c;
      } else if (c < 0x20) {
        out[p++] = '\\';
        switch (c) {
          case '\n':
            out[p++] = 'n';
            break;
          case '\r':
            out[p++] = 'r';
            break;
          case '\t':
            out[p++] = 't';
            break;
          case '\b':
            out[p++] = 'b';
            break;
          case '\f':
            out[p++] = 'f';
            break;
          default:
            out[p++] = 'u';
            out[p++] = '0';
            out[p++] = '0';
            out[p++] = HEX[(c >> 4) & 0xF];
            out[p++] = HEX[c & 0xF];
        }
      } else if (c < 0x800) {
        out[p++] = (byte) (0xC0 | (c >> 6));
        out[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (c == 0x2028 || c == 0x2029) {
        out[p++] = '\\';
        out[p++] = 'u';
        out[p++] = '2';
        out[p++] = '0';
        out[p++] = '2';
        out[p++] = (byte) ('8' + (c - 0x2028)); // not c == 0x2028 again (see quotedLength)
      } else if ((c & 0xF800) == 0xD800) { // a surrogate (inline: Character's are calls in TeaVM)
        if ((c & 0xFC00) == 0xD800 && i + 1 < len && (s[i + 1] & 0xFC00) == 0xDC00) {
          int cp = Character.toCodePoint(c, s[++i]);
          out[p++] = (byte) (0xF0 | (cp >> 18));
          out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          out[p++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          out[p++] = (byte) 0xEF;
          out[p++] = (byte) 0xBF;
          out[p++] = (byte) 0xBD;
        }
      } else {
        out[p++] = (byte) (0xE0 | (c >> 12));
        out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    out[p++] = '"';
    return p;
  }

  private void check(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("selection " + i + " of " + count);
    }
  }

  private int add(int path, int start, byte kind) {
    if (count == starts.length) {
      int n = count * 2;
      paths = Arrays.copyOf(paths, n);
      starts = Arrays.copyOf(starts, n);
      ends = Arrays.copyOf(ends, n);
      kinds = Arrays.copyOf(kinds, n);
    }
    paths[count] = path;
    starts[count] = start;
    kinds[count] = kind;
    return count++;
  }

  private void sortByStart() {
    // insertion sort of an index permutation: only used when paths did not fit one pass
    Integer[] order = new Integer[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    for (int i = 1; i < count; i++) {
      Integer x = order[i];
      int j = i - 1;
      while (j >= 0 && starts[order[j]] > starts[x]) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = x;
    }
    int[] p = new int[count];
    int[] s = new int[count];
    int[] e = new int[count];
    byte[] k = new byte[count];
    for (int i = 0; i < count; i++) {
      p[i] = paths[order[i]];
      s[i] = starts[order[i]];
      e[i] = ends[order[i]];
      k[i] = kinds[order[i]];
    }
    paths = p;
    starts = s;
    ends = e;
    kinds = k;
  }

  /** Decodes the JSON string content in {@code [from, to)} (escapes resolved, UTF-8 lenient). */
  static String decode(byte[] in, int from, int to) {
    char[] out = new char[to - from];
    return new String(out, 0, decode(in, from, to, out));
  }

  /** {@link #decode(byte[], int, int)} as exactly as many chars as decoded. */
  static char[] decodeChars(byte[] in, int from, int to) {
    char[] out = new char[to - from];
    int n = decode(in, from, to, out);
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * Decodes {@code [from, to)} into {@code out} (room for {@code to - from}); returns the count.
   * One pass: ASCII, escapes and well-formed 3-byte sequences (CJK) inline; from any other byte up
   * to the next backslash, {@link Utf8#decode(byte[], int, int, char[], int)} (the same result as
   * decoding the whole run there, since a decoded sequence never depends on the bytes before it).
   */
  private static int decode(byte[] in, int from, int to, char[] out) {
    int n = 0;
    int i = from;
    while (i < to) {
      int b = in[i];
      if (b >= 0) {
        if (b != '\\') {
          out[n++] = (char) b;
          i++;
          continue;
        }
        char c = (char) in[i + 1];
        switch (c) {
          case 'b':
            out[n++] = '\b';
            break;
          case 'f':
            out[n++] = '\f';
            break;
          case 'n':
            out[n++] = '\n';
            break;
          case 'r':
            out[n++] = '\r';
            break;
          case 't':
            out[n++] = '\t';
            break;
          case 'u':
            int v = 0;
            for (int k = 0; k < 4; k++) {
              v = (v << 4) | JsonLexer.hexDigit(in[i + 2 + k]);
            }
            out[n++] = (char) v;
            i += 4;
            break;
          default:
            out[n++] = c; // '"', '\\', '/'
        }
        i += 2;
        continue;
      }
      if ((b & 0xF0) == 0xE0 && i + 2 < to) {
        int b1 = in[i + 1];
        int b2 = in[i + 2];
        if (((b1 & 0xC0) | ((b2 & 0xC0) << 8)) == 0x8080) {
          int c3 = ((b & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
          if (c3 > 0x7FF && (c3 & 0xF800) != 0xD800) {
            out[n++] = (char) c3;
            i += 3;
            continue;
          }
        }
      }
      int run = i;
      while (i < to && in[i] != '\\') {
        i++;
      }
      n += Utf8.decode(in, run, i - run, out, n);
    }
    return n;
  }

  /** One pass over the text with a batch of paths. */
  private static final class Scanner extends JsonLexer {
    private final JsonSelection out;
    private final JsonPath[] paths;
    private final int[] ids;
    private final int[] offsets;
    private final int[] lengthsByArray;
    private int arrays;
    boolean countLengths;
    final IntList lengths = new IntList();

    Scanner(byte[] in, JsonSelection out, JsonPath[] paths, int[] ids, int[] lengthsByArray) {
      super(in, 0, in.length);
      this.out = out;
      this.paths = paths;
      this.ids = ids;
      this.lengthsByArray = lengthsByArray;
      this.offsets = new int[paths.length];
      int bit = 0;
      for (int i = 0; i < paths.length; i++) {
        offsets[i] = bit;
        bit += paths[i].segments() + 1;
      }
    }

    void run() {
      long states = 0;
      for (int i = 0; i < paths.length; i++) {
        states |= paths[i].start() << offsets[i];
      }
      skipWhitespace();
      out.rootIsObject = pos < in.length && in[pos] == '{';
      value(states);
      skipWhitespace();
      if (pos != in.length) {
        throw error("unexpected data after the JSON value");
      }
    }

    private long sub(long states, int i) {
      int bits = paths[i].segments() + 1;
      long mask = bits == 64 ? -1L : (1L << bits) - 1;
      return (states >>> offsets[i]) & mask;
    }

    private boolean viable(long states) {
      for (int i = 0; i < paths.length; i++) {
        if (paths[i].viable(sub(states, i))) {
          return true;
        }
      }
      return false;
    }

    private long step(long states, String key, int index, int length) {
      long next = 0;
      for (int i = 0; i < paths.length; i++) {
        long s = sub(states, i);
        if (s != 0) {
          next |= paths[i].step(s, key, index, length) << offsets[i];
        }
      }
      return next;
    }

    private void value(long states) {
      if (pos >= in.length) {
        throw error("unexpected end of input");
      }
      byte c = in[pos];
      int first = out.count;
      int selected = 0;
      if (!countLengths && states != 0) {
        for (int i = 0; i < paths.length; i++) {
          if (paths[i].accepts(sub(states, i))) {
            out.add(ids[i], pos, kindOf(c));
            selected++;
          }
        }
      }
      switch (c) {
        case '{':
          object(states);
          break;
        case '[':
          array(states);
          break;
        case '"':
          skipString();
          break;
        case 't':
          literal("true");
          break;
        case 'f':
          literal("false");
          break;
        case 'n':
          literal("null");
          break;
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            scanNumber();
          } else {
            throw error("unexpected character " + describe(c));
          }
      }
      for (int i = first; i < first + selected; i++) {
        out.ends[i] = pos;
      }
    }

    private static byte kindOf(byte c) {
      return c == '-' || (c >= '0' && c <= '9') ? (byte) '0' : c;
    }

    private void object(long states) {
      enter();
      pos++;
      boolean match = !countLengths && states != 0 && viable(states);
      skipWhitespace();
      if (peek() == '}') {
        pos++;
        depth--;
        return;
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') {
          throw error("expected a member name in double quotes");
        }
        int keyStart = pos;
        skipString();
        long next = 0;
        if (match) {
          next = step(states, decode(in, keyStart + 1, pos - 1), 0, -1);
        }
        skipWhitespace();
        if (peek() != ':') {
          throw error("expected ':'");
        }
        pos++;
        skipWhitespace();
        value(next);
        skipWhitespace();
        int c = next();
        if (c == '}') {
          depth--;
          return;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or '}' in object");
        }
      }
    }

    private void array(long states) {
      enter();
      pos++;
      int slot = -1;
      int length = -1;
      if (countLengths) {
        slot = lengths.size();
        lengths.add(0);
      } else if (lengthsByArray != null) {
        length = lengthsByArray[arrays];
      }
      arrays++;
      boolean match = !countLengths && states != 0 && viable(states);
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        depth--;
        return;
      }
      int index = 0;
      while (true) {
        skipWhitespace();
        value(match ? step(states, null, index, length) : 0);
        index++;
        skipWhitespace();
        int c = next();
        if (c == ']') {
          if (countLengths) {
            lengths.set(slot, index);
          }
          depth--;
          return;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or ']' in array");
        }
      }
    }

    private void skipString() {
      pos++; // opening quote
      // the common case first: plain characters, scanned with locals only
      byte[] b = in;
      int p = pos;
      int n = b.length;
      while (p < n) {
        byte c = b[p];
        if (c == '"' || c == '\\' || (c >= 0 && c < 0x20)) {
          break;
        }
        p++;
      }
      pos = p;
      while (true) {
        if (pos >= in.length) {
          throw error("unterminated string");
        }
        byte c = in[pos];
        if (c == '"') {
          pos++;
          return;
        }
        if (c == '\\') {
          pos++;
          int e = pos < in.length ? in[pos] : -1;
          switch (e) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
              pos++;
              break;
            case 'u':
              pos++;
              if (pos + 4 > in.length) {
                throw error("truncated \\u escape");
              }
              for (int i = 0; i < 4; i++) {
                if (hexDigit(in[pos]) < 0) {
                  throw error("invalid hex digit in \\u escape");
                }
                pos++;
              }
              break;
            default:
              throw error("invalid escape \\" + (e < 0 ? "" : describe((byte) e)));
          }
        } else if (c >= 0 && c < 0x20) {
          throw error("control character " + describe(c) + " in string");
        } else {
          pos++;
        }
      }
    }
  }

  /** A growable int list (no boxing). */
  private static final class IntList {
    private int[] items = new int[16];
    private int size;

    void add(int v) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = v;
    }

    void set(int i, int v) {
      items[i] = v;
    }

    int size() {
      return size;
    }

    int[] toArray() {
      return Arrays.copyOf(items, size);
    }
  }
}

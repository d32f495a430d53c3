package io.rustless.sdk.higress.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A JSONPath subset: what Higress plugins write in their configuration ({@code
 * $.messages[0].content}, {@code $.choices[*].message.content}, {@code $..text}).
 *
 * <pre>
 * path     := '$' segment*
 * segment  := '.' name | '.*' | '[' selector ']'
 *           | '..' name | '..*' | '..[' selector ']'     (recursive descent: at any depth)
 * selector := integer | '*' | 'name' | "name"           (a negative index counts from the end)
 * name     := one or more characters other than '.', '[', ']', whitespace
 * </pre>
 *
 * Filters, slices and unions are not supported: {@link #compile} rejects them, naming the offset. A
 * path selects values on a tree ({@link #read}, {@link #replace}) or, without building one, in raw
 * JSON text ({@link JsonSelection}).
 *
 * <p>Matching runs the path as a small automaton over the keys and indexes leading to a value, so
 * every value is visited once whatever the number of {@code ..} segments.
 */
public final class JsonPath {
  /** The most segments a path may have (the automaton's states fit in a {@code long}). */
  public static final int MAX_SEGMENTS = 32;

  private static final int NAME = 0;
  private static final int INDEX = 1;
  private static final int WILDCARD = 2;

  private final String expression;
  private final int[] kinds;
  private final boolean[] deep;
  private final String[] names;
  private final int[] indexes;
  private final boolean negativeIndex;

  private JsonPath(String expression, List<Object[]> segments) {
    this.expression = expression;
    int n = segments.size();
    kinds = new int[n];
    deep = new boolean[n];
    names = new String[n];
    indexes = new int[n];
    boolean negative = false;
    for (int i = 0; i < n; i++) {
      Object[] s = segments.get(i);
      kinds[i] = (Integer) s[0];
      deep[i] = (Boolean) s[1];
      if (kinds[i] == NAME) {
        names[i] = (String) s[2];
      } else if (kinds[i] == INDEX) {
        indexes[i] = (Integer) s[2];
        negative |= indexes[i] < 0;
      }
    }
    this.negativeIndex = negative;
  }

  /**
   * Compiles {@code expression}.
   *
   * @throws IllegalArgumentException naming the offset of the first problem
   */
  public static JsonPath compile(String expression) {
    if (expression == null || expression.isEmpty() || expression.charAt(0) != '$') {
      throw invalid(expression, 0, "a path starts with '$'");
    }
    List<Object[]> segments = new ArrayList<>();
    int i = 1;
    int len = expression.length();
    while (i < len) {
      char c = expression.charAt(i);
      boolean isDeep = false;
      if (c == '.') {
        i++;
        if (i < len && expression.charAt(i) == '.') {
          isDeep = true;
          i++;
        }
        if (i >= len) {
          throw invalid(expression, i, "expected a name or '*' after '.'");
        }
        c = expression.charAt(i);
        if (c == '*') {
          segments.add(new Object[] {WILDCARD, isDeep, null});
          i++;
          continue;
        }
        if (c == '[') {
          if (!isDeep) {
            throw invalid(expression, i, "expected a name or '*' after '.'");
          }
          // "..[selector]": handled below with isDeep set
        } else {
          int start = i;
          while (i < len && isNameChar(expression.charAt(i))) {
            i++;
          }
          if (i == start) {
            throw invalid(expression, i, "expected a name or '*' after '.'");
          }
          segments.add(new Object[] {NAME, isDeep, expression.substring(start, i)});
          continue;
        }
      }
      if (expression.charAt(i) != '[') {
        throw invalid(expression, i, "expected '.' or '['");
      }
      i = selector(expression, i + 1, isDeep, segments);
    }
    if (segments.size() > MAX_SEGMENTS) {
      throw invalid(expression, len, "more than " + MAX_SEGMENTS + " segments");
    }
    return new JsonPath(expression, segments);
  }

  private static int selector(String e, int i, boolean isDeep, List<Object[]> segments) {
    int len = e.length();
    if (i >= len) {
      throw invalid(e, i, "unterminated '['");
    }
    char c = e.charAt(i);
    int end;
    if (c == '*') {
      segments.add(new Object[] {WILDCARD, isDeep, null});
      end = i + 1;
    } else if (c == '\'' || c == '"') {
      StringBuilder name = new StringBuilder();
      int j = i + 1;
      while (true) {
        if (j >= len) {
          throw invalid(e, j, "unterminated quoted name");
        }
        char d = e.charAt(j);
        if (d == c) {
          break;
        }
        if (d == '\\' && j + 1 < len) {
          j++;
          d = e.charAt(j);
        }
        name.append(d);
        j++;
      }
      segments.add(new Object[] {NAME, isDeep, name.toString()});
      end = j + 1;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      int j = c == '-' ? i + 1 : i;
      int digitsStart = j;
      long value = 0;
      while (j < len && e.charAt(j) >= '0' && e.charAt(j) <= '9') {
        value = value * 10 + (e.charAt(j) - '0');
        if (value > Integer.MAX_VALUE) {
          throw invalid(e, i, "index out of range");
        }
        j++;
      }
      if (j == digitsStart) {
        throw invalid(e, j, "expected a digit");
      }
      segments.add(new Object[] {INDEX, isDeep, (int) (c == '-' ? -value : value)});
      end = j;
    } else {
      throw invalid(e, i, "unsupported selector (filters, slices and unions are not supported)");
    }
    if (end >= len || e.charAt(end) != ']') {
      throw invalid(e, end, "expected ']' (filters, slices and unions are not supported)");
    }
    return end + 1;
  }

  private static boolean isNameChar(char c) {
    return c != '.' && c != '[' && c != ']' && c != ' ' && c != '\t' && c != '\n' && c != '\r';
  }

  private static IllegalArgumentException invalid(String e, int offset, String problem) {
    return new IllegalArgumentException(
        "invalid JSONPath "
            + (e == null ? "null" : "'" + e + "'")
            + " at offset "
            + offset
            + ": "
            + problem);
  }

  /** The expression as written. */
  @Override
  public String toString() {
    return expression;
  }

  /** The number of segments after {@code $}. */
  public int segments() {
    return kinds.length;
  }

  /** True if some index counts from the end (selecting then needs array lengths). */
  public boolean hasNegativeIndex() {
    return negativeIndex;
  }

  // ---- the automaton: bit i set = the first i segments have been matched --------------------

  /** The state before any key or index: only the root. */
  long start() {
    return 1L;
  }

  /** True if {@code states} selects the value reached. */
  boolean accepts(long states) {
    return (states & (1L << kinds.length)) != 0;
  }

  /** True if some value below the one reached could still be selected. */
  boolean viable(long states) {
    return (states & ((1L << kinds.length) - 1)) != 0;
  }

  /**
   * The states after stepping to member {@code key} (or, if {@code key} is null, to element {@code
   * index} of an array of {@code length} elements; {@code length} -1 if unknown).
   */
  long step(long states, String key, int index, int length) {
    long out = 0;
    int n = kinds.length;
    for (int i = 0; i < n; i++) {
      if ((states & (1L << i)) == 0) {
        continue;
      }
      if (deep[i]) {
        out |= 1L << i; // a recursive-descent segment may still match deeper down
      }
      if (selects(i, key, index, length)) {
        out |= 1L << (i + 1);
      }
    }
    return out;
  }

  private boolean selects(int segment, String key, int index, int length) {
    switch (kinds[segment]) {
      case WILDCARD:
        return true;
      case NAME:
        return key != null && key.equals(names[segment]);
      default:
        if (key != null) {
          return false;
        }
        int want = indexes[segment];
        return want >= 0 ? index == want : length >= 0 && index == length + want;
    }
  }

  // ---- on a tree ----------------------------------------------------------------------------

  /** The values this path selects in {@code root}, in document order. */
  public List<JsonValue> read(JsonValue root) {
    List<JsonValue> out = new ArrayList<>();
    collect(root, start(), out);
    return out;
  }

  /** The first value this path selects in {@code root}. */
  public Optional<JsonValue> readFirst(JsonValue root) {
    List<JsonValue> all = read(root);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** The first selected value if it is a string. */
  public Optional<String> readString(JsonValue root) {
    return readFirst(root).filter(JsonValue::isString).map(JsonValue::asString);
  }

  private void collect(JsonValue v, long states, List<JsonValue> out) {
    if (accepts(states)) {
      out.add(v);
    }
    if (!viable(states)) {
      return;
    }
    if (v.isObject()) {
      for (Map.Entry<String, JsonValue> e : v.asObject().members().entrySet()) {
        collect(e.getValue(), step(states, e.getKey(), 0, -1), out);
      }
    } else if (v.isArray()) {
      JsonArray a = v.asArray();
      int n = a.size();
      for (int i = 0; i < n; i++) {
        collect(a.get(i), step(states, null, i, n), out);
      }
    }
  }

  /**
   * A copy of {@code root} in which every selected value is replaced by {@code f} of it (values
   * inside a selected value are replaced first). Unchanged subtrees are shared, and {@code root}
   * itself comes back if nothing changed.
   */
  public JsonValue replace(JsonValue root, UnaryOperator<JsonValue> f) {
    return rebuild(root, start(), f);
  }

  private JsonValue rebuild(JsonValue v, long states, UnaryOperator<JsonValue> f) {
    JsonValue out = v;
    if (viable(states)) {
      if (v.isObject()) {
        Map<String, JsonValue> members = v.asObject().members();
        String[] keys = new String[members.size()];
        JsonValue[] values = new JsonValue[keys.length];
        boolean changed = false;
        int i = 0;
        for (Map.Entry<String, JsonValue> e : members.entrySet()) {
          keys[i] = e.getKey();
          values[i] = rebuild(e.getValue(), step(states, e.getKey(), 0, -1), f);
          changed |= values[i] != e.getValue();
          i++;
        }
        if (changed) {
          JsonObject.Builder b = JsonObject.builder();
          for (int j = 0; j < keys.length; j++) {
            b.append(keys[j], values[j]);
          }
          out = b.build();
        }
      } else if (v.isArray()) {
        JsonArray a = v.asArray();
        int n = a.size();
        List<JsonValue> items = null;
        for (int i = 0; i < n; i++) {
          JsonValue child = a.get(i);
          JsonValue next = rebuild(child, step(states, null, i, n), f);
          if (next != child) {
            if (items == null) {
              items = new ArrayList<>(a.values());
            }
            items.set(i, next);
          }
        }
        if (items != null) {
          out = new JsonArray(items);
        }
      }
    }
    if (accepts(states)) {
      JsonValue replaced = f.apply(out);
      if (replaced == null) {
        throw new NullPointerException("the replacement for " + expression + " is null");
      }
      out = replaced;
    }
    return out;
  }
}

package io.rustless.sdk.higress.json;

import io.rustless.sdk.lang.Strings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON object. Members keep their order; a repeated key reads as its last value. Stored as two
 * arrays rather than a hash map: objects in plugin configuration and API bodies are small, lookups
 * are few, and a hash map would add several kilobytes to every module.
 */
public final class JsonObject extends JsonValue {
  private final String[] keys;
  private final JsonValue[] values;
  private final int size;

  JsonObject(String[] keys, JsonValue[] values, int size) {
    this.keys = keys;
    this.values = values;
    this.size = size;
  }

  /** An object with these members (order kept). */
  public static JsonObject of(Map<String, ? extends JsonValue> members) {
    Builder b = builder();
    for (Map.Entry<String, ? extends JsonValue> e : members.entrySet()) {
      b.put(e.getKey(), e.getValue());
    }
    return b.build();
  }

  /** A builder keeping insertion order. */
  public static Builder builder() {
    return new Builder();
  }

  /** The member {@code key} (its last occurrence). */
  public Optional<JsonValue> get(String key) {
    int i = indexOf(key);
    return i < 0 ? Optional.empty() : Optional.of(values[i]);
  }

  /** True if {@code key} is a member. */
  public boolean has(String key) {
    return indexOf(key) >= 0;
  }

  private int indexOf(String key) {
    for (int i = size - 1; i >= 0; i--) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** Member names in order of first appearance, each once. */
  public List<String> keys() {
    List<String> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      if (!Strings.contains(out, keys[i])) {
        out.add(keys[i]);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Members as a read-only map (a repeated key keeps its last value). */
  public Map<String, JsonValue> members() {
    Map<String, JsonValue> out = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      out.put(keys[i], values[i]);
    }
    return Collections.unmodifiableMap(out);
  }

  /** The number of members, a repeated key counted each time it appears. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public String typeName() {
    return "object";
  }

  @Override
  public boolean isObject() {
    return true;
  }

  @Override
  public JsonObject asObject() {
    return this;
  }

  @Override
  public void writeTo(StringBuilder out) {
    out.append('{');
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        out.append(',');
      }
      JsonString.quote(keys[i], out);
      out.append(':');
      values[i].writeTo(out);
    }
    out.append('}');
  }

  /** Builds a {@link JsonObject}; {@code put} of an existing key replaces its value. */
  public static final class Builder {
    private String[] keys = new String[8];
    private JsonValue[] values = new JsonValue[8];
    private int size;

    Builder() {}

    public Builder put(String key, JsonValue value) {
      if (key == null || value == null) {
        throw new NullPointerException("JSON member names and values must not be null");
      }
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          values[i] = value;
          return this;
        }
      }
      return append(key, value);
    }

    /** Appends without looking for an earlier member of that name (the parser's fast path). */
    Builder append(String key, JsonValue value) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = value;
      size++;
      return this;
    }

    public Builder put(String key, String value) {
      return put(key, new JsonString(value));
    }

    public Builder put(String key, long value) {
      return put(key, JsonNumber.of(value));
    }

    public Builder put(String key, boolean value) {
      return put(key, JsonBoolean.of(value));
    }

    public JsonObject build() {
      return new JsonObject(Arrays.copyOf(keys, size), Arrays.copyOf(values, size), size);
    }
  }
}

package io.rustless.sdk.higress.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A JSON object; members keep their order, a repeated key keeps the last value. */
public final class JsonObject extends JsonValue {
  private final Map<String, JsonValue> members;

  JsonObject(Map<String, JsonValue> members) {
    this.members = members;
  }

  /** An object with these members (copied, order kept). */
  public static JsonObject of(Map<String, ? extends JsonValue> members) {
    return new JsonObject(new LinkedHashMap<>(members));
  }

  /** A builder keeping insertion order. */
  public static Builder builder() {
    return new Builder();
  }

  /** The member {@code key}. */
  public Optional<JsonValue> get(String key) {
    return Optional.ofNullable(members.get(key));
  }

  /** True if {@code key} is a member. */
  public boolean has(String key) {
    return members.containsKey(key);
  }

  /** Member names, in order. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(members.keySet());
  }

  /** Members, in order (read-only). */
  public Map<String, JsonValue> members() {
    return Collections.unmodifiableMap(members);
  }

  public int size() {
    return members.size();
  }

  public boolean isEmpty() {
    return members.isEmpty();
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
    boolean first = true;
    for (Map.Entry<String, JsonValue> e : members.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      JsonString.quote(e.getKey(), out);
      out.append(':');
      e.getValue().writeTo(out);
    }
    out.append('}');
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonObject && ((JsonObject) o).members.equals(members);
  }

  @Override
  public int hashCode() {
    return members.hashCode();
  }

  /** Builds a {@link JsonObject}. */
  public static final class Builder {
    private final Map<String, JsonValue> members = new LinkedHashMap<>();

    private Builder() {}

    public Builder put(String key, JsonValue value) {
      members.put(key, value);
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
      return new JsonObject(new LinkedHashMap<>(members));
    }
  }
}

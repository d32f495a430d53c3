package io.rustless.sdk.higress.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A JSON array. */
public final class JsonArray extends JsonValue {
  private final List<JsonValue> items;

  JsonArray(List<JsonValue> items) {
    this.items = items;
  }

  /** An array of these values (copied). */
  public static JsonArray of(List<? extends JsonValue> items) {
    return new JsonArray(new ArrayList<>(items));
  }

  public int size() {
    return items.size();
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  /** Item {@code index}. */
  public JsonValue get(int index) {
    return items.get(index);
  }

  /** The items (read-only). */
  public List<JsonValue> values() {
    return Collections.unmodifiableList(items);
  }

  @Override
  public String typeName() {
    return "array";
  }

  @Override
  public boolean isArray() {
    return true;
  }

  @Override
  public JsonArray asArray() {
    return this;
  }

  @Override
  public void writeTo(StringBuilder out) {
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      items.get(i).writeTo(out);
    }
    out.append(']');
  }
}

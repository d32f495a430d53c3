package io.rustless.sdk.higress.json;

/**
 * A parsed JSON value. The six kinds are the final classes {@link JsonObject}, {@link JsonArray},
 * {@link JsonString}, {@link JsonNumber}, {@link JsonBoolean} and {@link JsonNull}; the {@code as…}
 * accessors throw {@link JsonException} naming both types when the kind is not the one asked for.
 * {@link #toString()} is compact JSON. Values compare by identity (structural {@code equals} would
 * pull hash maps into every module); compare {@code toString()} to compare structure.
 */
public abstract class JsonValue {
  JsonValue() {}

  /** "object", "array", "string", "number", "boolean" or "null". */
  public abstract String typeName();

  public boolean isObject() {
    return false;
  }

  public boolean isArray() {
    return false;
  }

  public boolean isString() {
    return false;
  }

  public boolean isNumber() {
    return false;
  }

  public boolean isBoolean() {
    return false;
  }

  public boolean isNull() {
    return false;
  }

  public JsonObject asObject() {
    throw mismatch("an object");
  }

  public JsonArray asArray() {
    throw mismatch("an array");
  }

  public String asString() {
    throw mismatch("a string");
  }

  public JsonNumber asNumber() {
    throw mismatch("a number");
  }

  public boolean asBoolean() {
    throw mismatch("a boolean");
  }

  /** Appends this value as compact JSON. */
  public abstract void writeTo(StringBuilder out);

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    writeTo(sb);
    return sb.toString();
  }

  /** The type with its article, for messages: "an object", "a string", … */
  public String describeType() {
    String type = typeName();
    return (type.equals("object") || type.equals("array") ? "an " : "a ") + type;
  }

  JsonException mismatch(String expected) {
    return new JsonException("expected " + expected + " but got " + describeType());
  }
}

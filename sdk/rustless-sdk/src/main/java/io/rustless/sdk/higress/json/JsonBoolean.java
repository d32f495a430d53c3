package io.rustless.sdk.higress.json;

/** {@code true} or {@code false}. */
public final class JsonBoolean extends JsonValue {
  public static final JsonBoolean TRUE = new JsonBoolean(true);
  public static final JsonBoolean FALSE = new JsonBoolean(false);
  private final boolean value;

  private JsonBoolean(boolean value) {
    this.value = value;
  }

  public static JsonBoolean of(boolean value) {
    return value ? TRUE : FALSE;
  }

  @Override
  public String typeName() {
    return "boolean";
  }

  @Override
  public boolean isBoolean() {
    return true;
  }

  @Override
  public boolean asBoolean() {
    return value;
  }

  @Override
  public void writeTo(StringBuilder out) {
    out.append(value ? "true" : "false");
  }
}

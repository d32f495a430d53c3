package io.rustless.sdk.higress.json;

/** {@code null}. */
public final class JsonNull extends JsonValue {
  public static final JsonNull NULL = new JsonNull();

  private JsonNull() {}

  @Override
  public String typeName() {
    return "null";
  }

  @Override
  public boolean isNull() {
    return true;
  }

  @Override
  public void writeTo(StringBuilder out) {
    out.append("null");
  }
}

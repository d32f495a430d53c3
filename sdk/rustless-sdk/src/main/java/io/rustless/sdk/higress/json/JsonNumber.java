package io.rustless.sdk.higress.json;

import io.rustless.sdk.lang.Decimal;

/**
 * A JSON number, kept as its text: a plugin that only reads integers never pulls floating-point
 * parsing into its module.
 */
public final class JsonNumber extends JsonValue {
  private final String text;

  JsonNumber(String text) {
    this.text = text;
  }

  /** The number {@code value}. */
  public static JsonNumber of(long value) {
    return new JsonNumber(Long.toString(value));
  }

  /** The number as written in the JSON text. */
  public String text() {
    return text;
  }

  /** True if the number has no fraction or exponent. */
  public boolean isIntegral() {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.' || c == 'e' || c == 'E') {
        return false;
      }
    }
    return true;
  }

  /** The value as a {@code long}; throws if it has a fraction or does not fit. */
  public long longValue() {
    if (!isIntegral()) {
      throw new JsonException("expected an integer but got " + text);
    }
    try {
      return Decimal.parseLong(text);
    } catch (NumberFormatException e) {
      throw new JsonException("integer out of range: " + text);
    }
  }

  /** The value as an {@code int}; throws if it has a fraction or does not fit. */
  public int intValue() {
    long v = longValue();
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new JsonException("integer out of range: " + text);
    }
    return (int) v;
  }

  /** The value as a {@code double}. */
  public double doubleValue() {
    return Double.parseDouble(text);
  }

  @Override
  public String typeName() {
    return "number";
  }

  @Override
  public boolean isNumber() {
    return true;
  }

  @Override
  public JsonNumber asNumber() {
    return this;
  }

  @Override
  public void writeTo(StringBuilder out) {
    out.append(text);
  }
}

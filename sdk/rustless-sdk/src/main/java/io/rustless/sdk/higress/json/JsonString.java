package io.rustless.sdk.higress.json;

/** A JSON string. */
public final class JsonString extends JsonValue {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private final String value;

  public JsonString(String value) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    this.value = value;
  }

  @Override
  public String typeName() {
    return "string";
  }

  @Override
  public boolean isString() {
    return true;
  }

  @Override
  public String asString() {
    return value;
  }

  @Override
  public void writeTo(StringBuilder out) {
    quote(value, out);
  }

  /** Appends {@code s} as a JSON string literal. */
  public static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}

package io.rustless.cli.gateway.higress;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plugin configuration as the proxy receives it. Higress keeps {@code defaultConfig} and friends
 * in a {@code google.protobuf.Struct}, and Istio hands it to Envoy as the JSON its {@code jsonpb}
 * marshaller writes ({@code pilot/pkg/model/extensions.go} lines 139–149, {@code
 * pkg/util/protomarshal/protomarshal.go ToJSON}): no spaces, object keys in sorted order, every
 * number a float64 written as JavaScript writes numbers ({@code 10}, {@code 0.5}, {@code 1e+21}),
 * so integers beyond 2^53 lose precision on the way, as they do in Higress.
 */
public final class StructJson {
  private StructJson() {}

  /** {@code value} (a map, list, string, number, boolean or null) as compact JSON. */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    append(sb, value);
    return sb.toString();
  }

  private static void append(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      string(sb, s);
    } else if (v instanceof Boolean b) {
      sb.append(b);
    } else if (v instanceof Number n) {
      sb.append(number(n));
    } else if (v instanceof Map<?, ?> m) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sorted.put(String.valueOf(e.getKey()), e.getValue());
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, e.getKey());
        sb.append(':');
        append(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        append(sb, l.get(i));
      }
      sb.append(']');
    } else {
      string(sb, v.toString());
    }
  }

  /** A number as a float64 in ECMAScript's shortest form, as Go's JSON encoders write it. */
  static String number(Number n) {
    double d =
        n instanceof BigInteger b
            ? b.doubleValue()
            : n instanceof BigDecimal b ? b.doubleValue() : n.doubleValue();
    if (Double.isNaN(d)) {
      return "\"NaN\"";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    }
    if (d == 0) {
      return "0";
    }
    BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    double abs = Math.abs(d);
    if (abs < 1e-6 || abs >= 1e21) {
      String digits = exact.unscaledValue().abs().toString();
      int exponent = digits.length() - 1 - exact.scale();
      StringBuilder sb = new StringBuilder();
      if (d < 0) {
        sb.append('-');
      }
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
      return sb.toString();
    }
    return exact.toPlainString();
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}

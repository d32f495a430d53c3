package io.rustless.cli.gateway.higress;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads typed fields of an object body as the API server validates a custom resource against its
 * schema, collecting every error in the API server's words ({@code spec.phase: Unsupported value:
 * "authn": supported values: "UNSPECIFIED_PHASE", "AUTHN", …}) and rejecting unknown fields as
 * {@code kubectl apply} does by default ({@code --validate=strict}).
 */
final class FieldReader {
  private final List<String> errors = new ArrayList<>();

  List<String> errors() {
    return errors;
  }

  void error(String path, String message) {
    errors.add(path + ": " + message);
  }

  void unknownFields(Map<String, Object> object, String path, Set<String> known) {
    for (String key : object.keySet()) {
      if (!known.contains(key)) {
        errors.add("unknown field \"" + join(path, key) + "\"");
      }
    }
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  Optional<Map<String, Object>> object(Map<String, Object> in, String path, String key) {
    Object v = in.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) m;
      return Optional.of(typed);
    }
    invalidType(join(path, key), v, "object");
    return Optional.empty();
  }

  String string(Map<String, Object> in, String path, String key) {
    Object v = in.get(key);
    if (v == null) {
      return "";
    }
    if (v instanceof String s) {
      return s;
    }
    invalidType(join(path, key), v, "string");
    return "";
  }

  boolean bool(Map<String, Object> in, String path, String key) {
    Object v = in.get(key);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    invalidType(join(path, key), v, "boolean");
    return false;
  }

  /** An int32, or empty if absent or null (a nullable integer in the schema). */
  Optional<Integer> int32(Map<String, Object> in, String path, String key) {
    Object v = in.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Integer i) {
      return Optional.of(i);
    }
    if (v instanceof Long || v instanceof BigInteger) {
      error(
          join(path, key),
          "Invalid value: " + v + ": must be a 32-bit integer (-2147483648 to 2147483647)");
      return Optional.empty();
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
      return Optional.of(d.intValue());
    }
    invalidType(join(path, key), v, "integer");
    return Optional.empty();
  }

  List<String> strings(Map<String, Object> in, String path, String key) {
    Object v = in.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      invalidType(join(path, key), v, "array");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (item instanceof String s) {
        out.add(s);
      } else {
        invalidType(join(path, key) + "[" + i + "]", item, "string");
      }
    }
    return out;
  }

  List<Map<String, Object>> objects(Map<String, Object> in, String path, String key) {
    Object v = in.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      invalidType(join(path, key), v, "array");
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (item instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) m;
        out.add(typed);
      } else {
        invalidType(join(path, key) + "[" + i + "]", item, "object");
        out.add(Map.of());
      }
    }
    return out;
  }

  <E extends Enum<E>> E enumValue(Map<String, Object> in, String path, String key, E fallback) {
    Object v = in.get(key);
    if (v == null) {
      return fallback;
    }
    Class<E> type = fallback.getDeclaringClass();
    if (v instanceof String s) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equals(s)) {
          return e;
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add("\"" + e.name() + "\"");
    }
    error(
        join(path, key),
        "Unsupported value: " + quote(v) + ": supported values: " + String.join(", ", names));
    return fallback;
  }

  private void invalidType(String path, Object v, String expected) {
    error(path, "Invalid value: " + typeOf(v) + ": must be of type " + expected);
  }

  private static String typeOf(Object v) {
    if (v instanceof String) {
      return "\"string\"";
    }
    if (v instanceof Boolean) {
      return "\"boolean\"";
    }
    if (v instanceof Number) {
      return "\"number\"";
    }
    if (v instanceof List) {
      return "\"array\"";
    }
    if (v instanceof Map) {
      return "\"object\"";
    }
    return "\"" + v.getClass().getSimpleName() + "\"";
  }

  private static String quote(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }
}

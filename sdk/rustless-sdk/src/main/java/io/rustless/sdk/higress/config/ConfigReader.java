package io.rustless.sdk.higress.config;

import io.rustless.sdk.higress.json.JsonArray;
import io.rustless.sdk.higress.json.JsonNumber;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.higress.json.JsonValue;
import io.rustless.sdk.lang.Decimal;
import io.rustless.sdk.lang.Strings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Typed, path-aware access to a configuration object. Every error names the field's full path, and
 * the reader remembers which keys were read so that {@link #unknownKeys()} can point at typos. Keys
 * starting with {@code _} (such as {@code _rules_} and {@code _match_route_}) belong to the gateway
 * and are never reported.
 */
public final class ConfigReader {
  private final JsonObject object;
  private final String path;
  private final List<String> seen = new ArrayList<>();
  private final List<ConfigReader> children = new ArrayList<>();

  private ConfigReader(JsonObject object, String path) {
    this.object = object;
    this.path = path;
  }

  /** A reader over {@code object}, whose fields are reported relative to {@code path}. */
  public static ConfigReader of(JsonObject object, String path) {
    return new ConfigReader(object, path);
  }

  /** A reader over a top-level {@code object}. */
  public static ConfigReader of(JsonObject object) {
    return new ConfigReader(object, "");
  }

  /** The underlying object. */
  public JsonObject json() {
    return object;
  }

  /** The full path of field {@code key}. */
  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** An exception for field {@code key}, for checks the accessors cannot express. */
  public InvalidConfigException error(String key, String problem) {
    return new InvalidConfigException(pathOf(key), problem);
  }

  /** True if {@code key} is present and not {@code null}. */
  public boolean has(String key) {
    markSeen(key);
    Optional<JsonValue> v = object.get(key);
    return v.isPresent() && !v.get().isNull();
  }

  /** The raw value of {@code key} ({@code null} counts as absent). */
  public Optional<JsonValue> value(String key) {
    markSeen(key);
    Optional<JsonValue> v = object.get(key);
    return v.isPresent() && v.get().isNull() ? Optional.empty() : v;
  }

  // ---- strings ------------------------------------------------------------------------------

  public String requireString(String key) {
    return optString(key).orElseThrow(() -> missing(key, "a string"));
  }

  public Optional<String> optString(String key) {
    return value(key).map(v -> expect(key, v, "a string").asString());
  }

  public String getString(String key, String defaultValue) {
    return optString(key).orElse(defaultValue);
  }

  /** A list of strings; absent means empty. */
  public List<String> getStringList(String key) {
    Optional<JsonValue> v = value(key);
    if (v.isEmpty()) {
      return Collections.emptyList();
    }
    JsonArray array = expect(key, v.get(), "an array").asArray();
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonValue item = array.get(i);
      if (!item.isString()) {
        throw new InvalidConfigException(
            pathOf(key) + "[" + i + "]", "expected a string but got " + item.describeType());
      }
      out.add(item.asString());
    }
    return Collections.unmodifiableList(out);
  }

  // ---- numbers and booleans -----------------------------------------------------------------

  public int requireInt(String key) {
    return optInt(key).orElseThrow(() -> missing(key, "an integer"));
  }

  public Optional<Integer> optInt(String key) {
    return value(key).map(v -> integer(key, v, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue());
  }

  public int getInt(String key, int defaultValue) {
    return optInt(key).orElse(defaultValue);
  }

  /** An integer within {@code [min, max]}. */
  public int getInt(String key, int defaultValue, int min, int max) {
    Optional<JsonValue> v = value(key);
    return v.isEmpty() ? defaultValue : integer(key, v.get(), min, max).intValue();
  }

  public long getLong(String key, long defaultValue) {
    Optional<JsonValue> v = value(key);
    return v.isEmpty() ? defaultValue : integer(key, v.get(), Long.MIN_VALUE, Long.MAX_VALUE);
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    return value(key).map(v -> expect(key, v, "a boolean").asBoolean()).orElse(defaultValue);
  }

  // ---- nested objects -----------------------------------------------------------------------

  public ConfigReader requireObject(String key) {
    return optObject(key).orElseThrow(() -> missing(key, "an object"));
  }

  public Optional<ConfigReader> optObject(String key) {
    return value(key).map(v -> child(expect(key, v, "an object").asObject(), pathOf(key)));
  }

  /** A list of objects; absent means empty. */
  public List<ConfigReader> getObjectList(String key) {
    Optional<JsonValue> v = value(key);
    if (v.isEmpty()) {
      return Collections.emptyList();
    }
    JsonArray array = expect(key, v.get(), "an array").asArray();
    List<ConfigReader> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonValue item = array.get(i);
      String itemPath = pathOf(key) + "[" + i + "]";
      if (!item.isObject()) {
        throw new InvalidConfigException(
            itemPath, "expected an object but got " + item.describeType());
      }
      out.add(child(item.asObject(), itemPath));
    }
    return out;
  }

  private void markSeen(String key) {
    if (!Strings.contains(seen, key)) {
      seen.add(key);
    }
  }

  /** Keys present but never read, with full paths, nested readers included. */
  public List<String> unknownKeys() {
    List<String> out = new ArrayList<>();
    for (String key : object.keys()) {
      if (!key.startsWith("_") && !Strings.contains(seen, key)) {
        out.add(pathOf(key));
      }
    }
    for (ConfigReader child : children) {
      out.addAll(child.unknownKeys());
    }
    return out;
  }

  private ConfigReader child(JsonObject o, String childPath) {
    ConfigReader r = new ConfigReader(o, childPath);
    children.add(r);
    return r;
  }

  private JsonValue expect(String key, JsonValue v, String type) {
    boolean ok;
    switch (type) {
      case "a string":
        ok = v.isString();
        break;
      case "a boolean":
        ok = v.isBoolean();
        break;
      case "an object":
        ok = v.isObject();
        break;
      case "an array":
        ok = v.isArray();
        break;
      default:
        ok = false;
    }
    if (!ok) {
      throw error(key, "expected " + type + " but got " + v.describeType());
    }
    return v;
  }

  private Long integer(String key, JsonValue v, long min, long max) {
    if (!v.isNumber()) {
      throw error(key, "expected an integer but got " + v.describeType());
    }
    JsonNumber n = v.asNumber();
    if (!n.isIntegral()) {
      throw error(key, "expected an integer but got " + n.text());
    }
    long value;
    try {
      value = Decimal.parseLong(n.text());
    } catch (NumberFormatException e) {
      throw error(key, "integer out of range: " + n.text());
    }
    if (value < min || value > max) {
      throw error(key, "must be between " + min + " and " + max + " but is " + value);
    }
    return value;
  }

  private InvalidConfigException missing(String key, String type) {
    return error(key, "required field is missing (expected " + type + ")");
  }
}

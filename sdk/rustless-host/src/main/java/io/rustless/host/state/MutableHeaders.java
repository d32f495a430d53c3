package io.rustless.host.state;

import io.rustless.sdk.host.HeaderMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A header map as Envoy keeps it: names lower-cased on the way in, lookups without case, {@code
 * replace} drops every old value.
 */
public final class MutableHeaders {
  private final List<String> names = new ArrayList<>();
  private final List<byte[]> values = new ArrayList<>();

  /** A copy of {@code map} (names lower-cased). */
  public static MutableHeaders of(HeaderMap map) {
    MutableHeaders h = new MutableHeaders();
    h.setAll(map);
    return h;
  }

  public void setAll(HeaderMap map) {
    names.clear();
    values.clear();
    for (int i = 0; i < map.size(); i++) {
      add(map.name(i), map.valueBytes(i));
    }
  }

  public byte[] get(String name) {
    String n = normalize(name);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equals(n)) {
        return values.get(i).clone();
      }
    }
    return null;
  }

  public void add(String name, byte[] value) {
    names.add(normalize(name));
    values.add(value.clone());
  }

  public void replace(String name, byte[] value) {
    String n = normalize(name);
    int first = names.indexOf(n);
    remove(n);
    if (first < 0 || first > names.size()) {
      first = names.size();
    }
    names.add(first, n);
    values.add(first, value.clone());
  }

  public boolean remove(String name) {
    String n = normalize(name);
    boolean removed = false;
    for (int i = names.size() - 1; i >= 0; i--) {
      if (names.get(i).equals(n)) {
        names.remove(i);
        values.remove(i);
        removed = true;
      }
    }
    return removed;
  }

  public int size() {
    return names.size();
  }

  public HeaderMap toHeaderMap() {
    HeaderMap.Builder b = HeaderMap.builder();
    for (int i = 0; i < names.size(); i++) {
      b.add(names.get(i), values.get(i));
    }
    return b.build();
  }

  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(names.get(i)).append('=');
      sb.append(Arrays.toString(values.get(i)));
    }
    return sb.append('}').toString();
  }
}

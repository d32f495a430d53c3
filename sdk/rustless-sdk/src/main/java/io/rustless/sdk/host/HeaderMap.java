package io.rustless.sdk.host;

import io.rustless.sdk.lang.Ascii;
import io.rustless.sdk.lang.Utf8;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An ordered, immutable list of header (or trailer, or metadata) entries. Names compare without
 * regard to ASCII case, as Envoy does. Values are kept as the host's bytes and decoded on access,
 * so a value that is not UTF-8 never breaks anything: it reads with U+FFFD in place of bad bytes.
 */
public final class HeaderMap {
  private static final HeaderMap EMPTY = new HeaderMap(new String[0], new byte[0][], 0);

  private final String[] names;
  private final byte[][] values;
  private final int size;

  private HeaderMap(String[] names, byte[][] values, int size) {
    this.names = names;
    this.values = values;
    this.size = size;
  }

  /** An empty map. */
  public static HeaderMap empty() {
    return EMPTY;
  }

  /** A map of {@code name, value, name, value, …}. */
  public static HeaderMap of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Builder b = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  /** A builder that keeps insertion order. */
  public static Builder builder() {
    return new Builder();
  }

  /** The number of entries (a name may occur more than once). */
  public int size() {
    return size;
  }

  /** True if there are no entries. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** The name of entry {@code i}. */
  public String name(int i) {
    checkIndex(i);
    return names[i];
  }

  /** The value of entry {@code i}, decoded as UTF-8 (U+FFFD for bytes that are not). */
  public String value(int i) {
    checkIndex(i);
    return Utf8.decode(values[i]);
  }

  /** A copy of the raw value bytes of entry {@code i}. */
  public byte[] valueBytes(int i) {
    checkIndex(i);
    return values[i].clone();
  }

  /** The first value for {@code name} (ASCII case-insensitive). */
  public Optional<String> get(String name) {
    int i = indexOf(name);
    return i < 0 ? Optional.empty() : Optional.of(Utf8.decode(values[i]));
  }

  /** The raw bytes of the first value for {@code name}. */
  public Optional<byte[]> getBytes(String name) {
    int i = indexOf(name);
    return i < 0 ? Optional.empty() : Optional.of(values[i].clone());
  }

  /** Every value for {@code name}, in order. */
  public List<String> getAll(String name) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (Ascii.equalsIgnoreCase(names[i], name)) {
        out.add(Utf8.decode(values[i]));
      }
    }
    return out;
  }

  /** True if some entry is named {@code name}. */
  public boolean contains(String name) {
    return indexOf(name) >= 0;
  }

  /** The entries as (name, decoded value) pairs. */
  public List<Header> toList() {
    List<Header> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(new Header(names[i], Utf8.decode(values[i])));
    }
    return Collections.unmodifiableList(out);
  }

  /** A builder holding these entries, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (int i = 0; i < size; i++) {
      b.add(names[i], values[i]);
    }
    return b;
  }

  private int indexOf(String name) {
    for (int i = 0; i < size; i++) {
      if (Ascii.equalsIgnoreCase(names[i], name)) {
        return i;
      }
    }
    return -1;
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("index " + i + " of " + size);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HeaderMap)) {
      return false;
    }
    HeaderMap other = (HeaderMap) o;
    if (other.size != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (!names[i].equals(other.names[i]) || !Arrays.equals(values[i], other.values[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = size;
    for (int i = 0; i < size; i++) {
      h = 31 * h + names[i].hashCode();
      h = 31 * h + Arrays.hashCode(values[i]);
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]).append('=').append(Utf8.decode(values[i]));
    }
    return sb.append('}').toString();
  }

  /** One entry, value decoded. */
  public record Header(String name, String value) {}

  /** Collects entries in order. */
  public static final class Builder {
    private String[] names = new String[8];
    private byte[][] values = new byte[8][];
    private int size;

    private Builder() {}

    /** Appends an entry. */
    public Builder add(String name, String value) {
      return add(name, Utf8.encode(value));
    }

    /** Appends an entry with raw value bytes (copied). */
    public Builder add(String name, byte[] value) {
      return addOwned(name, value.clone());
    }

    /** Appends an entry, taking ownership of {@code value} without copying it. */
    Builder addOwned(String name, byte[] value) {
      if (name == null || value == null) {
        throw new NullPointerException("header name and value must not be null");
      }
      if (size == names.length) {
        names = Arrays.copyOf(names, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      names[size] = name;
      values[size] = value;
      size++;
      return this;
    }

    /** Removes every entry named {@code name}. */
    public Builder remove(String name) {
      int w = 0;
      for (int r = 0; r < size; r++) {
        if (!Ascii.equalsIgnoreCase(names[r], name)) {
          names[w] = names[r];
          values[w] = values[r];
          w++;
        }
      }
      for (int i = w; i < size; i++) {
        names[i] = null;
        values[i] = null;
      }
      size = w;
      return this;
    }

    /** Replaces every entry named {@code name} by one with {@code value}, or appends it. */
    public Builder set(String name, String value) {
      return remove(name).add(name, value);
    }

    /** The map. */
    public HeaderMap build() {
      return size == 0
          ? EMPTY
          : new HeaderMap(Arrays.copyOf(names, size), copy(values, size), size);
    }

    private static byte[][] copy(byte[][] values, int size) {
      byte[][] out = new byte[size][];
      System.arraycopy(values, 0, out, 0, size);
      return out;
    }
  }

  /** Builds from wire data without copying; for the SDK's own codecs. */
  public static HeaderMap wrap(String[] names, byte[][] values, int size) {
    return size == 0 ? EMPTY : new HeaderMap(names, values, size);
  }
}

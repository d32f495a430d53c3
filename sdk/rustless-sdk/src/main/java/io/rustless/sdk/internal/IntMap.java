package io.rustless.sdk.internal;

import java.util.Arrays;

/**
 * An open-addressing map from positive {@code int} keys to objects. Context ids are looked up on
 * every callback; {@code HashMap<Integer, …>} would box each id, and boxes are garbage under TeaVM.
 * The arrays are allocated with the first entry: a VM makes several maps at start-up, most of which
 * a plugin never fills.
 *
 * <p>The entry last put or found is kept aside: a request's callbacks (create, headers, body, done,
 * log, delete) come one after another for the same id, and in the Wasm build a probe of the arrays
 * costs a hundred instructions (null and bounds checks, GC roots spilled around them) where the
 * comparison costs a few.
 */
public final class IntMap<V> {
  private int[] keys;
  private Object[] values;
  private int size;

  /** The last entry put or found; 0 (never a key) when there is none. */
  private int lastKey;

  private V lastValue;

  /** The value for {@code key}, or {@code null}. */
  public V get(int key) {
    if (key == lastKey && key != 0) {
      return lastValue;
    }
    V v = find(key);
    if (v != null) {
      lastKey = key;
      lastValue = v;
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private V find(int key) {
    if (size == 0) {
      return null;
    }
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      int k = keys[i];
      if (k == key) {
        return (V) values[i];
      }
      if (k == 0) {
        return null;
      }
    }
  }

  /** Maps {@code key} (which must be positive) to {@code value}. */
  public void put(int key, V value) {
    if (key <= 0) {
      throw new IllegalArgumentException("key must be positive: " + key);
    }
    if (keys == null || (size + 1) * 4 > keys.length * 3) {
      grow();
    }
    lastKey = key;
    lastValue = value;
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      int k = keys[i];
      if (k == key) {
        values[i] = value;
        return;
      }
      if (k == 0) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  /** Removes {@code key}; returns its value or {@code null}. */
  @SuppressWarnings("unchecked")
  public V remove(int key) {
    if (key == lastKey) {
      lastKey = 0;
      lastValue = null;
    }
    if (size == 0) {
      return null;
    }
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (true) {
      int k = keys[i];
      if (k == 0) {
        return null;
      }
      if (k == key) {
        break;
      }
      i = (i + 1) & mask;
    }
    V old = (V) values[i];
    // Backward-shift deletion keeps probe chains intact without tombstones.
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      int k = keys[j];
      if (k == 0) {
        break;
      }
      int home = mix(k) & mask;
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        keys[hole] = k;
        values[hole] = values[j];
        hole = j;
      }
    }
    keys[hole] = 0;
    values[hole] = null;
    size--;
    return old;
  }

  /** The number of entries. */
  public int size() {
    return size;
  }

  /** Removes every entry. */
  public void clear() {
    lastKey = 0;
    lastValue = null;
    if (size > 0) {
      Arrays.fill(keys, 0);
      Arrays.fill(values, null);
      size = 0;
    }
  }

  private void grow() {
    int[] oldKeys = keys;
    Object[] oldValues = values;
    int capacity = oldKeys == null ? 16 : oldKeys.length * 2;
    keys = new int[capacity];
    values = new Object[capacity];
    size = 0;
    for (int i = 0; oldKeys != null && i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        @SuppressWarnings("unchecked")
        V v = (V) oldValues[i];
        put(oldKeys[i], v);
      }
    }
  }

  private static int mix(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}

package io.rustless.sdk.lang;

import java.util.List;

/**
 * String-list lookups without {@code Object.equals}: a virtual {@code equals} call (what {@code
 * List.contains} makes) keeps every reachable class's {@code equals} in the module, records
 * included.
 */
public final class Strings {
  private Strings() {}

  /** Index of the first element equal to {@code s}, or -1. */
  public static int indexOf(List<String> list, String s) {
    for (int i = 0, n = list.size(); i < n; i++) {
      String e = list.get(i);
      if (e == null ? s == null : e.equals(s)) {
        return i;
      }
    }
    return -1;
  }

  /** True if an element equals {@code s}. */
  public static boolean contains(List<String> list, String s) {
    return indexOf(list, s) >= 0;
  }
}

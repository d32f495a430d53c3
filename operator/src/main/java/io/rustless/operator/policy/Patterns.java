package io.rustless.operator.policy;

import java.util.Locale;

/** The pattern languages of policies: namespace globs, Higress domain and service patterns. */
public final class Patterns {

  private Patterns() {}

  /** {@code *} matches any run of characters; everything else is literal. */
  public static boolean glob(String pattern, String value) {
    if (pattern == null || value == null) {
      return false;
    }
    return globAt(pattern, 0, value, 0);
  }

  private static boolean globAt(String p, int i, String v, int j) {
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '*') {
        for (int k = j; k <= v.length(); k++) {
          if (globAt(p, i + 1, v, k)) {
            return true;
          }
        }
        return false;
      }
      if (j >= v.length() || v.charAt(j) != c) {
        return false;
      }
      i++;
      j++;
    }
    return j == v.length();
  }

  /**
   * Whether a granted domain pattern covers a domain a source names (which may itself be a Higress
   * pattern). {@code *} covers everything; {@code *.example.com} covers every name ending in {@code
   * .example.com}, wildcards such as {@code *.a.example.com} included; anything else covers only
   * itself. Case-insensitive, as host names are.
   */
  public static boolean domainCovers(String granted, String requested) {
    if (granted == null || requested == null) {
      return false;
    }
    String g = granted.toLowerCase(Locale.ROOT).strip();
    String r = requested.toLowerCase(Locale.ROOT).strip();
    if (g.equals("*")) {
      return true;
    }
    if (g.startsWith("*.")) {
      return r.equals(g) || r.endsWith(g.substring(1));
    }
    return g.equals(r);
  }

  /**
   * Whether a granted service pattern ({@code fqdn} or {@code fqdn:port}, the fqdn possibly {@code
   * *.suffix}) covers a service a source names ({@code fqdn} or {@code fqdn:port}). A grant without
   * a port covers every port; a grant with one covers only that port.
   */
  public static boolean serviceCovers(String granted, String requested) {
    if (granted == null || requested == null) {
      return false;
    }
    String[] g = hostPort(granted);
    String[] r = hostPort(requested);
    if (g[1] != null && !g[1].equals(r[1])) {
      return false;
    }
    return domainCovers(g[0], r[0]);
  }

  private static String[] hostPort(String service) {
    String s = service.strip();
    int colon = s.lastIndexOf(':');
    if (colon > 0 && s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      return new String[] {s.substring(0, colon), s.substring(colon + 1)};
    }
    return new String[] {s, null};
  }
}

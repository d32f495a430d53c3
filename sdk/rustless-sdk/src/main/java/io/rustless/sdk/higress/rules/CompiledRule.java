package io.rustless.sdk.higress.rules;

import io.rustless.sdk.lang.Utf8;
import java.util.List;

/**
 * A {@link Rule}'s conditions as the matcher runs them per request: UTF-8 bytes compared with the
 * request's raw bytes in plain loops. The rule matcher runs on every request of every plugin that
 * has rules; in the Wasm build a {@code String} comparison is a chain of calls ({@code charAt},
 * {@code length}, lower-casing copies), each with its own stack frame, while a loop over two byte
 * arrays is a few instructions per byte. Comparing bytes is also what Envoy does: a header that is
 * not valid UTF-8 matches only a pattern with the same bytes.
 */
final class CompiledRule {
  static final byte ANY = 0;
  static final byte EXACT = 1;
  static final byte SUFFIX = 2;
  static final byte PREFIX = 3;

  private final byte[][] routes;
  private final byte[][] routePrefixes;

  /** Domain patterns without their {@code *}, lower-cased, with their kind in {@link #kinds}. */
  private final byte[][] domains;

  private final byte[] kinds;
  private final Rule<?> rule;

  CompiledRule(Rule<?> rule) {
    this.rule = rule;
    routes = encode(rule.routes());
    routePrefixes = encode(rule.routePrefixes());
    List<String> patterns = rule.domains();
    domains = new byte[patterns.size()][];
    kinds = new byte[patterns.size()];
    for (int i = 0; i < domains.length; i++) {
      String p = patterns.get(i);
      byte kind;
      if (p.equals("*")) {
        kind = ANY;
        p = "";
      } else if (p.startsWith("*")) {
        kind = SUFFIX;
        p = p.substring(1);
      } else if (p.endsWith("*")) {
        kind = PREFIX;
        p = p.substring(0, p.length() - 1);
      } else {
        kind = EXACT;
      }
      kinds[i] = kind;
      domains[i] = lowerCase(Utf8.encode(p));
    }
  }

  private static byte[][] encode(List<String> values) {
    byte[][] out = new byte[values.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Utf8.encode(values.get(i));
    }
    return out;
  }

  /** True if every condition kind the rule has matches {@code request}. */
  boolean matches(RequestAttributes request) {
    if (routes.length > 0 && !anyEqual(routes, request.routeNameBytes())) {
      return false;
    }
    if (routePrefixes.length > 0 && !anyPrefix(routePrefixes, request.routeNameBytes())) {
      return false;
    }
    if (domains.length > 0 && !domainMatches(request.authorityBytes())) {
      return false;
    }
    return rule.services().isEmpty() || rule.matchesService(request.clusterName());
  }

  private static boolean anyEqual(byte[][] candidates, byte[] value) {
    for (byte[] c : candidates) {
      if (c.length == value.length && regionMatches(value, 0, c, c.length, false)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyPrefix(byte[][] prefixes, byte[] value) {
    for (byte[] p : prefixes) {
      if (p.length <= value.length && regionMatches(value, 0, p, p.length, false)) {
        return true;
      }
    }
    return false;
  }

  /** Higress's domain semantics: the authority without its port, ASCII case ignored. */
  private boolean domainMatches(byte[] authority) {
    int hostLength = hostLength(authority);
    for (int i = 0; i < domains.length; i++) {
      byte[] d = domains[i];
      switch (kinds[i]) {
        case ANY:
          return true;
        case EXACT:
          if (d.length == hostLength && regionMatches(authority, 0, d, d.length, true)) {
            return true;
          }
          break;
        case SUFFIX:
          if (d.length <= hostLength
              && regionMatches(authority, hostLength - d.length, d, d.length, true)) {
            return true;
          }
          break;
        default:
          if (d.length <= hostLength && regionMatches(authority, 0, d, d.length, true)) {
            return true;
          }
      }
    }
    return false;
  }

  /**
   * {@code value[from, from + n)} equals {@code pattern[0, n)}, with ASCII case folded if asked.
   */
  private static boolean regionMatches(
      byte[] value, int from, byte[] pattern, int n, boolean foldCase) {
    for (int i = 0; i < n; i++) {
      byte b = value[from + i];
      if (foldCase && b >= 'A' && b <= 'Z') {
        b = (byte) (b + 32);
      }
      if (b != pattern[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] lowerCase(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] >= 'A' && bytes[i] <= 'Z') {
        bytes[i] = (byte) (bytes[i] + 32);
      }
    }
    return bytes;
  }

  /**
   * The length of {@code authority}'s host, as Envoy strips the port: {@code a.com:80} → {@code
   * a.com}, {@code [::1]:80} → {@code [::1]}; a bare IPv6 address is left alone.
   */
  static int hostLength(byte[] authority) {
    int n = authority.length;
    if (n > 0 && authority[0] == '[') {
      return bracketedHostLength(authority);
    }
    // from the end: a port is digits after the only colon; most authorities have none, and this
    // reads one byte to find out
    int i = n - 1;
    while (i >= 0 && authority[i] >= '0' && authority[i] <= '9') {
      i--;
    }
    if (i < 0 || authority[i] != ':') {
      return n;
    }
    for (int j = 0; j < i; j++) {
      if (authority[j] == ':') {
        return n; // a bare IPv6 address
      }
    }
    return i;
  }

  /** {@code [v6]:port} → {@code [v6]}; anything else bracketed is left alone. */
  private static int bracketedHostLength(byte[] authority) {
    int n = authority.length;
    int close = -1;
    int colon = -1;
    for (int i = 0; i < n; i++) {
      if (authority[i] == ']' && close < 0) {
        close = i;
      } else if (authority[i] == ':') {
        colon = i;
      }
    }
    return close >= 0 && colon == close + 1 ? colon : n;
  }
}

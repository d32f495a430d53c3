package io.rustless.extensions.requestblock;

import java.util.ArrayList;
import java.util.List;

/**
 * The request target's path in the forms a URL pattern is checked against, so that spelling a path
 * differently does not get it past a pattern: RFC 3986 §6.2.2 normalisation (percent-encoded
 * unreserved characters decoded, the hex digits of the other percent-encodings in upper case, dot
 * segments removed) plus merged repeated slashes, as Envoy's {@code normalize_path} and {@code
 * merge_slashes} would do (Higress sets neither, so plugins see paths raw).
 *
 * <p>{@code %2F} and {@code %5C} are never decoded into separators: an encoded slash is data in a
 * segment (RFC 3986 §2.2), and decoding it would make {@code /a%2F..%2Fb} a different path than the
 * one the backend serves. Whether such paths are blocked is the configuration's call ({@code
 * block_escaped_slashes}). The query is never touched.
 *
 * <p>Two orders exist in practice: Envoy removes dot segments and then merges slashes ({@code
 * /a//../b} → {@code /a/b}), while Go's {@code path.Clean}, Tomcat and nginx merge first ({@code
 * /a//../b} → {@code /b}). A path where the order matters is checked in both forms.
 */
final class PathNormalizer {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathNormalizer() {}

  /**
   * The distinct forms of {@code target} to match, raw first: as it came, with its
   * percent-encodings normalised only (so a substring such as {@code ..} still finds an encoded
   * {@code %2E%2E}), and fully normalised with slashes merged before and after dot segments go.
   * Usually all are equal and the list has one entry.
   */
  static List<String> forms(String target) {
    List<String> out = new ArrayList<>(4);
    out.add(target);
    int q = target.indexOf('?');
    int end = q < 0 ? target.length() : q;
    if (end == 0 || target.charAt(0) != '/' || isNormal(target, end)) {
      return out;
    }
    String query = target.substring(end);
    String decoded = decodeUnreserved(target.substring(0, end));
    addNew(out, decoded + query);
    addNew(out, removeDotSegments(mergeSlashes(decoded)) + query);
    addNew(out, mergeSlashes(removeDotSegments(decoded)) + query);
    return out;
  }

  private static void addNew(List<String> list, String s) {
    for (String t : list) {
      if (t.equals(s)) {
        return;
      }
    }
    list.add(s);
  }

  /** True if the path (before {@code ?}) has {@code %2F}, {@code %5C} or a backslash. */
  static boolean hasEscapedSlash(String target) {
    int q = target.indexOf('?');
    int end = q < 0 ? target.length() : q;
    for (int i = 0; i < end; i++) {
      char c = target.charAt(i);
      if (c == '\\') {
        return true;
      }
      if (c == '%' && i + 2 < end) {
        char hi = target.charAt(i + 1);
        char lo = target.charAt(i + 2);
        if ((hi == '2' && (lo == 'f' || lo == 'F')) || (hi == '5' && (lo == 'c' || lo == 'C'))) {
          return true;
        }
      }
    }
    return false;
  }

  /** No percent sign, no repeated slash and no segment starting with a dot: nothing to do. */
  private static boolean isNormal(String s, int end) {
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        return false;
      }
      if (c == '/' && i + 1 < end && (s.charAt(i + 1) == '/' || s.charAt(i + 1) == '.')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Percent-encodings of unreserved characters (ALPHA, DIGIT, {@code - . _ ~}) decoded, the others
   * with upper-case hex digits; a {@code %} not followed by two hex digits is left as it is. One
   * pass: {@code %2541} stays {@code %2541}.
   */
  static String decodeUnreserved(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      int hi;
      int lo;
      if (c != '%'
          || i + 2 >= n
          || (hi = hex(s.charAt(i + 1))) < 0
          || (lo = hex(s.charAt(i + 2))) < 0) {
        sb.append(c);
        continue;
      }
      int v = hi * 16 + lo;
      if (unreserved(v)) {
        sb.append((char) v);
      } else {
        sb.append('%').append(HEX[hi]).append(HEX[lo]);
      }
      i += 2;
    }
    return sb.toString();
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static boolean unreserved(int v) {
    return (v >= 'A' && v <= 'Z')
        || (v >= 'a' && v <= 'z')
        || (v >= '0' && v <= '9')
        || v == '-'
        || v == '.'
        || v == '_'
        || v == '~';
  }

  private static String mergeSlashes(String path) {
    if (path.indexOf("//") < 0) {
      return path;
    }
    StringBuilder sb = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c != '/' || sb.length() == 0 || sb.charAt(sb.length() - 1) != '/') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * RFC 3986 §5.2.4 on an absolute path: {@code .} segments go, a {@code ..} segment takes the one
   * before it (none above the root); a path ending in a dot segment keeps its trailing slash.
   */
  static String removeDotSegments(String path) {
    // segment boundaries: out holds the kept segments, each with its leading '/'
    StringBuilder out = new StringBuilder(path.length());
    int n = path.length();
    int start = 1; // path.charAt(0) == '/'
    while (start <= n) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? n : slash;
      boolean last = slash < 0;
      int len = end - start;
      if (len == 1 && path.charAt(start) == '.') {
        if (last) {
          out.append('/');
        }
      } else if (len == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
        int cut = out.lastIndexOf("/");
        if (cut >= 0) {
          out.setLength(cut);
        }
        if (last) {
          out.append('/');
        }
      } else {
        out.append('/').append(path, start, end);
      }
      start = end + 1;
    }
    return out.length() == 0 ? "/" : out.toString();
  }
}

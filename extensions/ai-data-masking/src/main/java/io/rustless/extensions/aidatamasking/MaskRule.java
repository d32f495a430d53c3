package io.rustless.extensions.aidatamasking;

import com.google.re2j.PatternSyntaxException;
import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.higress.text.Sha256;
import io.rustless.sdk.lang.Utf8;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code replace_roles} entry: a regular expression (grok references expanded) whose matches
 * become {@code value} ({@code type: replace}, with {@code $name}/{@code ${name}}/{@code $1} group
 * references) or the lowercase hex SHA-256 of the match ({@code type: hash}); with {@code restore}
 * the response gets the originals back.
 *
 * @param regex the expression as configured
 * @param type {@code replace} or {@code hash}
 * @param restore put the original back where the mask appears in the response
 * @param value the replacement ({@code replace} only)
 */
public record MaskRule(
    String regex,
    String type,
    boolean restore,
    String value,
    RegexFinder finder,
    Object[] template) {

  static MaskRule parse(ConfigReader c) {
    String regex = c.requireString("regex");
    String type = c.requireString("type");
    if (!type.equals("replace") && !type.equals("hash")) {
      throw c.error("type", "must be \"replace\" or \"hash\" but is \"" + type + "\"");
    }
    boolean restore = c.getBoolean("restore", false);
    String value = c.getString("value", "");
    RegexFinder finder;
    try {
      finder = new RegexFinder(Grok.expand(regex));
    } catch (IllegalArgumentException e) {
      throw c.error("regex", e.getMessage());
    } catch (PatternSyntaxException e) {
      throw c.error("regex", "invalid regular expression: " + e.getMessage());
    }
    Object[] template =
        type.equals("replace") ? template(value, finder.pattern().namedGroups()) : null;
    return new MaskRule(regex, type, restore, value, finder, template);
  }

  boolean isHash() {
    return template == null;
  }

  /** The mask for the match {@code [start, end)}: the expanded value, or the match's SHA-256. */
  String mask(char[] text, int start, int end) {
    if (template == null) {
      return Sha256.hex(Utf8.encode(new String(text, start, end - start)));
    }
    if (template.length == 1 && template[0] instanceof String) {
      return (String) template[0];
    }
    int[] caps = finder.groupsAt(text, start, end);
    StringBuilder sb = new StringBuilder();
    for (Object part : template) {
      if (part instanceof String) {
        sb.append((String) part);
      } else {
        int g = (Integer) part;
        if (g < caps.length / 2 && caps[2 * g] >= 0) {
          sb.append(text, caps[2 * g], caps[2 * g + 1] - caps[2 * g]);
        }
      }
    }
    return sb.toString();
  }

  /**
   * {@code value} split into literal text and group numbers, with the Rust regex crate's rules
   * (what Higress used): {@code $$} is a dollar, {@code ${name}} and {@code $name} (the longest run
   * of letters, digits and '_') name a group, all digits is a group number, an unknown group is
   * empty.
   */
  static Object[] template(String value, Map<String, Integer> names) {
    List<Object> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int i = 0;
    int len = value.length();
    while (i < len) {
      char c = value.charAt(i);
      if (c != '$' || i + 1 >= len) {
        lit.append(c);
        i++;
        continue;
      }
      char d = value.charAt(i + 1);
      String name;
      int next;
      if (d == '$') {
        lit.append('$');
        i += 2;
        continue;
      } else if (d == '{') {
        int close = value.indexOf('}', i + 2);
        if (close < 0) {
          lit.append(c);
          i++;
          continue;
        }
        name = value.substring(i + 2, close);
        next = close + 1;
      } else {
        int j = i + 1;
        while (j < len && isNameChar(value.charAt(j))) {
          j++;
        }
        if (j == i + 1) {
          lit.append(c);
          i++;
          continue;
        }
        name = value.substring(i + 1, j);
        next = j;
      }
      if (lit.length() > 0) {
        parts.add(lit.toString());
        lit.setLength(0);
      }
      parts.add(groupIndex(name, names));
      i = next;
    }
    if (lit.length() > 0 || parts.isEmpty()) {
      parts.add(lit.toString());
    }
    return parts.toArray();
  }

  private static int groupIndex(String name, Map<String, Integer> names) {
    boolean digits = !name.isEmpty();
    for (int k = 0; k < name.length(); k++) {
      digits &= name.charAt(k) >= '0' && name.charAt(k) <= '9';
    }
    if (digits) {
      return name.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(name);
    }
    Integer g = names.get(name);
    return g == null ? Integer.MAX_VALUE : g;
  }

  private static boolean isNameChar(char c) {
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
}

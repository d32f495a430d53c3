package io.rustless.extensions.aidatamasking;

import java.util.HashMap;
import java.util.Map;

/**
 * Grok references in a regular expression: {@code %{NAME}} becomes the named pattern, {@code
 * %{NAME:alias}} a named group {@code (?P<alias>…)} that a replacement can use as {@code $alias}.
 *
 * <p>The table holds the standard grok patterns (logstash {@code grok-patterns}) written for RE2,
 * which has no look-around, atomic groups or backreferences. The adaptations, listed in the README:
 * look-behind and look-ahead for "not next to a digit" dropped ({@code BASE10NUM}, {@code
 * BASE16NUM}, {@code BASE16FLOAT}, {@code TIME}) or turned into {@code \b} ({@code IPV4}); atomic
 * groups {@code (?>…)} made plain; every group made non-capturing (so {@code $1} counts only the
 * groups the user wrote); {@code IPV6}'s zone suffix {@code (%.+)?} narrowed to {@code
 * (?:%[0-9A-Za-z._~-]+)?}; {@code URIHOST}'s {@code :port} alias dropped. {@code MOBILE} and {@code
 * IDCARD} are Higress's own additions.
 */
final class Grok {
  private static final String HEX = "[0-9A-Fa-f]";
  private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final String IPV4_IN_V6 = OCTET + "(?:\\." + OCTET + "){3}";
  private static final String H16 = HEX + "{1,4}";

  private static final String[][] PATTERNS = {
    {"USERNAME", "[a-zA-Z0-9._-]+"},
    {"USER", "%{USERNAME}"},
    {"EMAILLOCALPART", "[a-zA-Z][a-zA-Z0-9_.+-=:]+"},
    {"EMAILADDRESS", "%{EMAILLOCALPART}@%{HOSTNAME}"},
    {"INT", "(?:[+-]?(?:[0-9]+))"},
    {"BASE10NUM", "[+-]?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)"},
    {"NUMBER", "(?:%{BASE10NUM})"},
    {"BASE16NUM", "(?:[+-]?(?:0x)?(?:[0-9A-Fa-f]+))"},
    {
      "BASE16FLOAT",
      "\\b(?:[+-]?(?:0x)?(?:(?:[0-9A-Fa-f]+(?:\\.[0-9A-Fa-f]*)?)|(?:\\.[0-9A-Fa-f]+)))\\b"
    },
    {"POSINT", "\\b(?:[1-9][0-9]*)\\b"},
    {"NONNEGINT", "\\b(?:[0-9]+)\\b"},
    {"WORD", "\\b\\w+\\b"},
    {"NOTSPACE", "\\S+"},
    {"SPACE", "\\s*"},
    {"DATA", ".*?"},
    {"GREEDYDATA", ".*"},
    {
      "QUOTEDSTRING",
      "(?:\"(?:\\\\.|[^\\\\\"]+)+\"|\"\"|'(?:\\\\.|[^\\\\']+)+'|''|`(?:\\\\.|[^\\\\`]+)+`|``)"
    },
    {"QS", "%{QUOTEDSTRING}"},
    {"UUID", "[A-Fa-f0-9]{8}-(?:[A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}"},
    {"URN", "urn:[0-9A-Za-z][0-9A-Za-z-]{0,31}:(?:%[0-9a-fA-F]{2}|[0-9A-Za-z()+,.:=@;$_!*'/?#-])+"},
    {"MAC", "(?:%{CISCOMAC}|%{WINDOWSMAC}|%{COMMONMAC})"},
    {"CISCOMAC", "(?:(?:[A-Fa-f0-9]{4}\\.){2}[A-Fa-f0-9]{4})"},
    {"WINDOWSMAC", "(?:(?:[A-Fa-f0-9]{2}-){5}[A-Fa-f0-9]{2})"},
    {"COMMONMAC", "(?:(?:[A-Fa-f0-9]{2}:){5}[A-Fa-f0-9]{2})"},
    {
      "IPV6",
      "(?:(?:(?:"
          + H16
          + ":){7}(?:"
          + H16
          + "|:))|(?:(?:"
          + H16
          + ":){6}(?::"
          + H16
          + "|"
          + IPV4_IN_V6
          + "|:))|(?:(?:"
          + H16
          + ":){5}(?:(?:(?::"
          + H16
          + "){1,2})|:"
          + IPV4_IN_V6
          + "|:))|(?:(?:"
          + H16
          + ":){4}(?:(?:(?::"
          + H16
          + "){1,3})|(?:(?::"
          + H16
          + ")?:"
          + IPV4_IN_V6
          + ")|:))|(?:(?:"
          + H16
          + ":){3}(?:(?:(?::"
          + H16
          + "){1,4})|(?:(?::"
          + H16
          + "){0,2}:"
          + IPV4_IN_V6
          + ")|:))|(?:(?:"
          + H16
          + ":){2}(?:(?:(?::"
          + H16
          + "){1,5})|(?:(?::"
          + H16
          + "){0,3}:"
          + IPV4_IN_V6
          + ")|:))|(?:(?:"
          + H16
          + ":){1}(?:(?:(?::"
          + H16
          + "){1,6})|(?:(?::"
          + H16
          + "){0,4}:"
          + IPV4_IN_V6
          + ")|:))|(?::(?:(?:(?::"
          + H16
          + "){1,7})|(?:(?::"
          + H16
          + "){0,5}:"
          + IPV4_IN_V6
          + ")|:)))(?:%[0-9A-Za-z._~-]+)?"
    },
    {
      "IPV4",
      "\\b(?:(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])"
          + "[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]))"
          + "\\b"
    },
    {"IP", "(?:%{IPV6}|%{IPV4})"},
    {
      "HOSTNAME",
      "\\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*(?:\\.?|\\b)"
    },
    {"IPORHOST", "(?:%{IP}|%{HOSTNAME})"},
    {"HOSTPORT", "%{IPORHOST}:%{POSINT}"},
    {"URIPROTO", "[A-Za-z](?:[A-Za-z0-9+\\-.]+)+"},
    {"URIHOST", "%{IPORHOST}(?::%{POSINT})?"},
    {"URIPATH", "(?:/[A-Za-z0-9$.+!*'(){},~:;=@#%&_\\-]*)+"},
    {"URIPARAM", "\\?[A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\\-\\[\\]<>]*"},
    {"URIPATHPARAM", "%{URIPATH}(?:%{URIPARAM})?"},
    {"URI", "%{URIPROTO}://(?:%{USER}(?::[^@]*)?@)?(?:%{URIHOST})?(?:%{URIPATHPARAM})?"},
    {
      "MONTH",
      "\\b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|[Mm](?:a|ä)?r(?:ch|z)?|[Aa]pr(?:il)?"
          + "|[Mm]a(?:y|i)?|[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?"
          + "|[Oo](?:c|k)?t(?:ober)?|[Nn]ov(?:ember)?|[Dd]e(?:c|z)(?:ember)?)\\b"
    },
    {"MONTHNUM", "(?:0?[1-9]|1[0-2])"},
    {"MONTHNUM2", "(?:0[1-9]|1[0-2])"},
    {"MONTHDAY", "(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])"},
    {
      "DAY",
      "(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)"
    },
    {"YEAR", "(?:\\d\\d){1,2}"},
    {"HOUR", "(?:2[0123]|[01]?[0-9])"},
    {"MINUTE", "(?:[0-5][0-9])"},
    {"SECOND", "(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)"},
    {"TIME", "%{HOUR}:%{MINUTE}(?::%{SECOND})"},
    {"DATE_US", "%{MONTHNUM}[/-]%{MONTHDAY}[/-]%{YEAR}"},
    {"DATE_EU", "%{MONTHDAY}[./-]%{MONTHNUM}[./-]%{YEAR}"},
    {"ISO8601_TIMEZONE", "(?:Z|[+-]%{HOUR}(?::?%{MINUTE}))"},
    {"ISO8601_SECOND", "(?:%{SECOND}|60)"},
    {
      "TIMESTAMP_ISO8601",
      "%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?"
    },
    {"DATE", "%{DATE_US}|%{DATE_EU}"},
    {"DATESTAMP", "%{DATE}[- ]%{TIME}"},
    {"MOBILE", "\\d{8,11}"},
    {"IDCARD", "\\d{17}[0-9xX]|\\d{15}"},
  };

  private static Map<String, String> raw;
  private static final Map<String, String> EXPANDED = new HashMap<>();

  private Grok() {}

  /** The names of the built-in patterns, in table order. */
  static String[] names() {
    String[] out = new String[PATTERNS.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = PATTERNS[i][0];
    }
    return out;
  }

  /**
   * {@code regex} with its grok references expanded.
   *
   * @throws IllegalArgumentException naming an unknown pattern or an invalid alias
   */
  static String expand(String regex) {
    return expand(regex, 0);
  }

  private static String expand(String regex, int depth) {
    if (regex.indexOf("%{") < 0) {
      return regex;
    }
    StringBuilder out = new StringBuilder(regex.length() + 64);
    int i = 0;
    int len = regex.length();
    while (i < len) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < len) {
        out.append(c).append(regex.charAt(i + 1));
        i += 2;
        continue;
      }
      int close =
          c == '%' && i + 1 < len && regex.charAt(i + 1) == '{' ? regex.indexOf('}', i) : -1;
      if (close < 0) {
        out.append(c);
        i++;
        continue;
      }
      String inner = regex.substring(i + 2, close);
      int colon = inner.indexOf(':');
      String name = colon < 0 ? inner : inner.substring(0, colon);
      if (!isName(name)) {
        out.append(c); // not a grok reference: a literal '%'
        i++;
        continue;
      }
      String alias = null;
      if (colon >= 0) {
        alias = inner.substring(colon + 1);
        int typeColon = alias.indexOf(':'); // logstash's %{NAME:field:type}: the type is ignored
        if (typeColon >= 0) {
          alias = alias.substring(0, typeColon);
        }
        if (!isGroupName(alias)) {
          throw new IllegalArgumentException(
              "invalid grok alias '"
                  + alias
                  + "' in %{"
                  + inner
                  + "}: use letters, digits and '_', not starting with a digit");
        }
      }
      String pattern = pattern(name, depth);
      out.append(alias == null ? "(?:" : "(?P<" + alias + ">").append(pattern).append(')');
      i = close + 1;
    }
    return out.toString();
  }

  private static String pattern(String name, int depth) {
    String done = EXPANDED.get(name);
    if (done != null) {
      return done;
    }
    String def = table().get(name);
    if (def == null) {
      throw new IllegalArgumentException("unknown grok pattern %{" + name + "}");
    }
    if (depth > 16) {
      throw new IllegalStateException("grok patterns nest too deeply at %{" + name + "}");
    }
    String expanded = expand(def, depth + 1);
    EXPANDED.put(name, expanded);
    return expanded;
  }

  private static Map<String, String> table() {
    if (raw == null) {
      Map<String, String> m = new HashMap<>();
      for (String[] p : PATTERNS) {
        m.put(p[0], p[1]);
      }
      raw = m;
    }
    return raw;
  }

  private static boolean isName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c == '_'
          || (c >= '0' && c <= '9')
          || (c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isGroupName(String s) {
    return isName(s) && !(s.charAt(0) >= '0' && s.charAt(0) <= '9');
  }
}

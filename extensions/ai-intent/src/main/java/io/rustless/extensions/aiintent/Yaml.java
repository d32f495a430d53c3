package io.rustless.extensions.aiintent;

import io.rustless.sdk.higress.json.JsonString;

/** YAML scalars as serde_yaml writes them: plain when unambiguous, double-quoted otherwise. */
final class Yaml {
  private Yaml() {}

  static String scalar(String s) {
    if (plain(s)) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    JsonString.quote(s, sb); // JSON string syntax is valid double-quoted YAML
    return sb.toString();
  }

  private static boolean plain(String s) {
    if (s.isEmpty() || s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ') {
      return false;
    }
    if ("-?:,[]{}#&*!|>'\"%@`".indexOf(s.charAt(0)) >= 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        return false;
      }
      if ((c == ':' || c == '#') && (i + 1 == s.length() || s.charAt(i + 1) == ' ' || c == '#')) {
        return false;
      }
    }
    String lower = IntentAnswer.lower(s);
    switch (lower) {
      case "true":
      case "false":
      case "yes":
      case "no":
      case "on":
      case "off":
      case "null":
      case "~":
        return false;
      default:
        break;
    }
    return !looksNumeric(s);
  }

  private static boolean looksNumeric(String s) {
    int i = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
    if (i == s.length()) {
      return false;
    }
    boolean digits = false;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits = true;
      } else if (c != '.' && c != 'e' && c != 'E' && c != '_' && c != '+' && c != '-') {
        return false;
      }
    }
    return digits;
  }
}

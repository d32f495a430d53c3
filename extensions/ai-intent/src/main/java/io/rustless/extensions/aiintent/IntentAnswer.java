package io.rustless.extensions.aiintent;

import io.rustless.extensions.aiintent.AiIntentConfig.Category;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonException;
import io.rustless.sdk.higress.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a model's answer into one value per category, robustly: the answer may be the JSON array
 * the prompt asks for, one JSON object per line, a single object, a {@code {"use_for": "value"}}
 * map, any of those inside code fences, quotes or backticks, or just prose naming an option. Every
 * value is checked against the category's options (exactly, ignoring case and spaces, or the one
 * option it contains); a value that is no option of a configured category is dropped.
 */
final class IntentAnswer {
  private IntentAnswer() {}

  /** One recognised intent. */
  record Intent(String useFor, String result) {}

  /** The intents in {@code answer}, one per category at most, in the categories' order. */
  static List<Intent> read(String answer, List<Category> categories) {
    String text = stripFences(answer);
    String[] found = new String[categories.size()];
    // 1. the whole answer as JSON
    collect(parse(text), categories, found);
    // 2. line by line, each stripped of quotes, backticks and commas
    if (missing(found)) {
      for (String line : lines(text)) {
        collect(parse(trimDecoration(line)), categories, found);
        keyValue(line, categories, found);
      }
    }
    // 3. prose: the option a missing category's name or the answer mentions
    if (missing(found)) {
      String lower = lower(text);
      for (int k = 0; k < categories.size(); k++) {
        if (found[k] == null) {
          found[k] = mentioned(lower, categories.get(k));
        }
      }
    }
    List<Intent> out = new ArrayList<>();
    for (int k = 0; k < categories.size(); k++) {
      if (found[k] != null) {
        out.add(new Intent(categories.get(k).useFor(), found[k]));
      }
    }
    return out;
  }

  private static boolean missing(String[] found) {
    for (String f : found) {
      if (f == null) {
        return true;
      }
    }
    return false;
  }

  private static JsonValue parse(String s) {
    if (s.isEmpty()) {
      return null;
    }
    char c = s.charAt(0);
    if (c != '[' && c != '{') {
      return null;
    }
    try {
      return Json.parse(s);
    } catch (JsonException notJson) {
      return null;
    }
  }

  /** Takes {@code {"use_for", "result"}} objects, arrays of them, or a use_for-to-value map. */
  private static void collect(JsonValue v, List<Category> categories, String[] found) {
    if (v == null) {
      return;
    }
    if (v.isArray()) {
      for (JsonValue item : v.asArray().values()) {
        collect(item, categories, found);
      }
      return;
    }
    if (!v.isObject()) {
      return;
    }
    Map<String, JsonValue> m = v.asObject().members();
    JsonValue useFor = m.get("use_for");
    JsonValue result = m.get("result");
    if (useFor != null && result != null) {
      if (useFor.isString() && result.isString()) {
        set(useFor.asString(), result.asString(), categories, found);
      }
      return;
    }
    for (Map.Entry<String, JsonValue> e : m.entrySet()) {
      if (e.getValue().isString()) {
        set(e.getKey(), e.getValue().asString(), categories, found);
      }
    }
  }

  /** {@code use_for: value} or {@code "use_for": "value"} on one line. */
  private static void keyValue(String line, List<Category> categories, String[] found) {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      return;
    }
    String key = trimDecoration(line.substring(0, colon));
    String value = trimDecoration(line.substring(colon + 1));
    if (!key.isEmpty() && !value.isEmpty() && value.charAt(0) != '{' && value.charAt(0) != '[') {
      set(key, value, categories, found);
    }
  }

  private static void set(String useFor, String result, List<Category> categories, String[] found) {
    int k = category(useFor, categories);
    if (k < 0 || found[k] != null) {
      return;
    }
    String option = option(result, categories.get(k));
    if (option != null) {
      found[k] = option;
    }
  }

  private static int category(String useFor, List<Category> categories) {
    String want = normalise(useFor);
    for (int k = 0; k < categories.size(); k++) {
      if (categories.get(k).useFor().equals(useFor)) {
        return k;
      }
    }
    for (int k = 0; k < categories.size(); k++) {
      if (normalise(categories.get(k).useFor()).equals(want)) {
        return k;
      }
    }
    return -1;
  }

  /** The option {@code result} names: itself, ignoring case and spaces, or the longest inside. */
  static String option(String result, Category c) {
    for (String o : c.options()) {
      if (o.equals(result)) {
        return o;
      }
    }
    String want = normalise(result);
    for (String o : c.options()) {
      if (normalise(o).equals(want)) {
        return o;
      }
    }
    String best = null;
    for (String o : c.options()) {
      String n = normalise(o);
      if (!n.isEmpty()
          && want.contains(n)
          && (best == null || n.length() > normalise(best).length())) {
        best = o;
      }
    }
    return best;
  }

  /** The option of {@code c} that the prose mentions first (longest on a tie). */
  private static String mentioned(String lowerText, Category c) {
    String best = null;
    int bestAt = Integer.MAX_VALUE;
    for (String o : c.options()) {
      String n = lower(o).trim();
      if (n.isEmpty()) {
        continue;
      }
      int at = lowerText.indexOf(n);
      if (at >= 0 && (at < bestAt || (at == bestAt && o.length() > best.length()))) {
        best = o;
        bestAt = at;
      }
    }
    return best;
  }

  static String normalise(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '_' && c != '-') {
        sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
      }
    }
    return sb.toString();
  }

  /** ASCII letters lowercased (without the JDK's Unicode case tables in the module). */
  static String lower(String s) {
    char[] c = s.toCharArray();
    for (int i = 0; i < c.length; i++) {
      if (c[i] >= 'A' && c[i] <= 'Z') {
        c[i] += 32;
      }
    }
    return new String(c);
  }

  /** The answer without Markdown code fences ({@code ```json} … {@code ```}), trimmed. */
  static String stripFences(String answer) {
    StringBuilder sb = new StringBuilder(answer.length());
    for (String line : lines(answer)) {
      String t = line.trim();
      if (t.startsWith("```")) {
        String rest = t.substring(3);
        int close = rest.lastIndexOf("```");
        if (close >= 0) {
          // ```[{"use_for":…}]``` on one line
          String inner = rest.substring(0, close);
          int first = firstJson(inner);
          sb.append(first >= 0 ? inner.substring(first) : "").append('\n');
        }
        continue;
      }
      sb.append(line).append('\n');
    }
    return sb.toString().trim();
  }

  private static int firstJson(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '[' || s.charAt(i) == '{') {
        return i;
      }
    }
    return -1;
  }

  /** {@code line} without surrounding spaces, quotes, backticks and a trailing comma. */
  static String trimDecoration(String line) {
    int start = 0;
    int end = line.length();
    while (true) {
      int s0 = start;
      int e0 = end;
      while (start < end && " \t'`".indexOf(line.charAt(start)) >= 0) {
        start++;
      }
      while (end > start && " \t'`,".indexOf(line.charAt(end - 1)) >= 0) {
        end--;
      }
      if (start == s0 && end == e0) {
        break;
      }
    }
    String t = line.substring(start, end);
    if (t.length() >= 2
        && t.charAt(0) == '"'
        && t.charAt(t.length() - 1) == '"'
        && t.indexOf('"', 1) == t.length() - 1) {
      t = t.substring(1, t.length() - 1); // a quoted word, not a JSON object
    }
    return t;
  }

  private static List<String> lines(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '\n') {
        String line = s.substring(start, i);
        out.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        start = i + 1;
      }
    }
    return out;
  }
}

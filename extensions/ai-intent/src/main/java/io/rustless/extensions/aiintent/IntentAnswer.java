package io.rustless.extensions.aiintent;

import io.rustless.extensions.aiintent.AiIntentConfig.Category;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonException;
import io.rustless.sdk.higress.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the <b>verdict</b> of a model's answer: what the answer states as the value of a configured
 * category. It is the first of these forms that names a value for any configured category:
 *
 * <ol>
 *   <li><b>structured</b>: JSON anywhere in the answer (code fences and prose around it do not
 *       matter), also Python-style ({@code 'single quotes'}, {@code True}, trailing commas), on one
 *       line or several: a {@code {"use_for": …, "result": …}} object, an array of them, or a
 *       {@code {"<use_for>": "<value>"}} map;
 *   <li><b>labelled lines</b>: {@code <use_for>: <value>} (or {@code =}), bullets and quotes
 *       allowed, and YAML-style {@code use_for: …} followed by {@code result: …};
 *   <li><b>a bare answer</b>: the whole answer is one option ({@code Finance}, {@code "Finance."},
 *       {@code Category: Finance}); it is the value of every category that lists it.
 * </ol>
 *
 * Anything else sets nothing: prose, an explanation or a refusal that merely mentions an option ("I
 * cannot categorise this as Time-sensitive") is no verdict. A value counts if it is an option of
 * its category, ignoring case, spaces, {@code -} and {@code _}, or contains exactly one option
 * ({@code "It is Finance"}; {@code "Finance or Law"} is none); a category that is not configured is
 * ignored; a category stated with two different options has no verdict.
 */
final class IntentAnswer {
  /** The part of an answer that is read: a verdict comes first, and scanning has to stay cheap. */
  static final int MAX_ANSWER = 32 * 1024;

  /** Characters the structured scan may visit in all (it restarts at every bracket). */
  private static final int SCAN_BUDGET = 2_000_000;

  private IntentAnswer() {}

  /** One recognised intent. */
  record Intent(String useFor, String result) {}

  /** The intents in {@code answer}, one per category at most, in the categories' order. */
  static List<Intent> read(String answer, List<Category> categories) {
    String text = answer.length() > MAX_ANSWER ? answer.substring(0, MAX_ANSWER) : answer;
    Found found = new Found(categories.size());
    if (!structured(text, categories, found)
        && !labelledLines(text, categories, found)
        && !bare(text, categories, found)) {
      return List.of();
    }
    List<Intent> out = new ArrayList<>();
    for (int k = 0; k < categories.size(); k++) {
      if (found.value[k] != null && !found.conflict[k]) {
        out.add(new Intent(categories.get(k).useFor(), found.value[k]));
      }
    }
    return out;
  }

  /** The option stated for each category, and whether another one was stated too. */
  private static final class Found {
    final String[] value;
    final boolean[] conflict;

    Found(int n) {
      value = new String[n];
      conflict = new boolean[n];
    }

    void put(int k, String option) {
      if (value[k] == null) {
        value[k] = option;
      } else if (!value[k].equals(option)) {
        conflict[k] = true;
      }
    }
  }

  // ---- 1. structured ---------------------------------------------------------------------------

  private static boolean structured(String text, List<Category> categories, Found found) {
    boolean any = false;
    int budget = SCAN_BUDGET;
    int i = 0;
    while (i < text.length() && budget > 0) {
      char c = text.charAt(i);
      if (c != '{' && c != '[') {
        i++;
        continue;
      }
      int end = closing(text, i, budget);
      budget -= (end < 0 ? text.length() : end) - i + 1;
      JsonValue v = end < 0 ? null : relaxed(text.substring(i, end + 1));
      if (v == null) {
        i++; // an object inside may still parse
        continue;
      }
      any |= collect(v, categories, found, 0);
      i = end + 1;
    }
    return any;
  }

  /**
   * The index of the bracket that closes the one at {@code open}, or -1. Strings in double quotes,
   * and in single quotes where a JSON string could start (after {@code { [ , :}), are skipped, so
   * an apostrophe in prose ("I'm") is no quote.
   */
  private static int closing(String s, int open, int budget) {
    int depth = 0;
    int limit = Math.min(s.length(), open + budget);
    char prev = 0; // the last character outside strings that is not white space
    for (int i = open; i < limit; i++) {
      char c = s.charAt(i);
      if (c == '"' || (c == '\'' && (prev == '{' || prev == '[' || prev == ',' || prev == ':'))) {
        int close = endOfString(s, i, c, limit);
        if (close < 0) {
          return -1;
        }
        i = close;
        prev = c;
      } else if (c == '{' || c == '[') {
        depth++;
        prev = c;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          return i;
        }
        prev = c;
      } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        prev = c;
      }
    }
    return -1;
  }

  private static int endOfString(String s, int open, char quote, int limit) {
    for (int i = open + 1; i < limit; i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == quote) {
        return i;
      } else if (c == '\n') {
        return -1; // JSON strings have no raw line breaks
      }
    }
    return -1;
  }

  /**
   * {@code s} parsed as JSON after turning Python-style literals into JSON: single-quoted strings,
   * {@code True}/{@code False}/{@code None}, a comma before a closing bracket. Null if it is none.
   */
  static JsonValue relaxed(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    char prev = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || (c == '\'' && (prev == '{' || prev == '[' || prev == ',' || prev == ':'))) {
        i = copyString(s, i, c, sb);
        prev = '"';
      } else if (c == '}' || c == ']') {
        int last = lastSignificant(sb);
        if (last >= 0 && sb.charAt(last) == ',') {
          sb.deleteCharAt(last);
        }
        sb.append(c);
        prev = c;
      } else if (asciiLetter(c)) {
        int end = i;
        while (end < s.length() && asciiLetter(s.charAt(end))) {
          end++;
        }
        String word = s.substring(i, end);
        sb.append(
            word.equals("True")
                ? "true"
                : word.equals("False") ? "false" : word.equals("None") ? "null" : word);
        i = end - 1;
        prev = 'a';
      } else {
        sb.append(c);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          prev = c;
        }
      }
    }
    try {
      return Json.parse(sb.toString());
    } catch (JsonException notJson) {
      return null;
    }
  }

  private static boolean asciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Copies the string opening at {@code open} as a JSON string; returns its closing index. */
  private static int copyString(String s, int open, char quote, StringBuilder sb) {
    sb.append('"');
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char next = s.charAt(i + 1);
        if (next == '\'') {
          sb.append('\'');
        } else {
          sb.append(c).append(next);
        }
        i++;
      } else if (c == quote) {
        sb.append('"');
        return i;
      } else if (c == '"') {
        sb.append("\\\""); // inside a single-quoted string
      } else {
        sb.append(c);
      }
    }
    return s.length() - 1; // unterminated: the parser will say so
  }

  private static int lastSignificant(StringBuilder sb) {
    for (int i = sb.length() - 1; i >= 0; i--) {
      char c = sb.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return i;
      }
    }
    return -1;
  }

  /** Takes {@code {"use_for", "result"}} objects, arrays of them, or a use_for-to-value map. */
  private static boolean collect(JsonValue v, List<Category> categories, Found found, int depth) {
    if (depth > 4) {
      return false;
    }
    if (v.isArray()) {
      boolean any = false;
      for (JsonValue item : v.asArray().values()) {
        any |= collect(item, categories, found, depth + 1);
      }
      return any;
    }
    if (!v.isObject()) {
      return false;
    }
    Map<String, JsonValue> m = v.asObject().members();
    JsonValue useFor = m.get("use_for");
    JsonValue result = m.get("result");
    if (useFor != null || result != null) {
      return useFor != null
          && result != null
          && useFor.isString()
          && result.isString()
          && set(useFor.asString(), result.asString(), categories, found);
    }
    boolean any = false;
    for (Map.Entry<String, JsonValue> e : m.entrySet()) {
      if (e.getValue().isString()) {
        any |= set(e.getKey(), e.getValue().asString(), categories, found);
      }
    }
    return any;
  }

  // ---- 2. labelled lines -----------------------------------------------------------------------

  private static boolean labelledLines(String text, List<Category> categories, Found found) {
    boolean any = false;
    String pendingUseFor = null;
    for (String line : lines(text)) {
      int sep = separator(line);
      if (sep < 0) {
        continue;
      }
      String key = trimDecoration(stripBullet(line.substring(0, sep)));
      String value = trimDecoration(line.substring(sep + 1));
      String k = normalise(key);
      if (k.equals("usefor")) {
        pendingUseFor = value;
      } else if (k.equals("result")) {
        if (pendingUseFor != null) {
          any |= set(pendingUseFor, value, categories, found);
          pendingUseFor = null;
        }
      } else if (!value.isEmpty()) {
        any |= set(key, value, categories, found);
      }
    }
    return any;
  }

  /** The first {@code :} or {@code =} of a line, or -1. */
  private static int separator(String line) {
    for (int i = 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == ':' || c == '=') {
        return i;
      }
    }
    return -1;
  }

  /** A line without a leading {@code -}, {@code *}, {@code •} or {@code 1.} / {@code 1)}. */
  private static String stripBullet(String s) {
    int i = 0;
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    if (i < s.length() && "-*•".indexOf(s.charAt(i)) >= 0) {
      return s.substring(i + 1);
    }
    int d = i;
    while (d < s.length() && s.charAt(d) >= '0' && s.charAt(d) <= '9') {
      d++;
    }
    if (d > i && d < s.length() && (s.charAt(d) == '.' || s.charAt(d) == ')')) {
      return s.substring(d + 1);
    }
    return s;
  }

  // ---- 3. a bare answer ------------------------------------------------------------------------

  private static boolean bare(String text, List<Category> categories, Found found) {
    String t = stripFences(text);
    if (t.isEmpty() || t.indexOf('\n') >= 0) {
      return false;
    }
    t = trimDecoration(t);
    int colon = t.indexOf(':');
    if (colon > 0 && isWord(t.substring(0, colon))) {
      t = trimDecoration(t.substring(colon + 1)); // "Category: Finance"
    }
    String want = normalise(t);
    boolean any = false;
    for (int k = 0; k < categories.size(); k++) {
      for (String o : categories.get(k).options()) {
        if (!want.isEmpty() && normalise(o).equals(want)) {
          found.put(k, o);
          any = true;
        }
      }
    }
    return any;
  }

  /** One word: no white space or punctuation but {@code _} and {@code -} (any non-ASCII counts). */
  private static boolean isWord(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!asciiLetter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-' && c < 128) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  // ---- values ----------------------------------------------------------------------------------

  private static boolean set(String useFor, String result, List<Category> categories, Found found) {
    int k = category(useFor, categories);
    if (k < 0) {
      return false;
    }
    String option = option(result, categories.get(k));
    if (option == null) {
      return false;
    }
    found.put(k, option);
    return true;
  }

  private static int category(String useFor, List<Category> categories) {
    for (int k = 0; k < categories.size(); k++) {
      if (categories.get(k).useFor().equals(useFor)) {
        return k;
      }
    }
    String want = normalise(useFor);
    for (int k = 0; k < categories.size(); k++) {
      if (normalise(categories.get(k).useFor()).equals(want)) {
        return k;
      }
    }
    return -1;
  }

  /**
   * The option {@code result} names: itself, itself ignoring case and spaces, or the one option it
   * contains as whole words (an option inside a longer one contained too counts as the longer one);
   * else null.
   */
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
    String text = words(result);
    String best = null;
    String bestWords = null;
    for (String o : c.options()) {
      String w = words(o);
      if (w.isEmpty() || !containsWords(text, w)) {
        continue;
      }
      if (best == null) {
        best = o;
        bestWords = w;
      } else if (w.contains(bestWords)) {
        best = o;
        bestWords = w;
      } else if (!bestWords.contains(w)) {
        return null; // two different options: no verdict
      }
    }
    return best;
  }

  /** ASCII lower case, {@code -}, {@code _} and runs of white space as one space, trimmed. */
  private static String words(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-' || c == '_') {
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ') {
          sb.append(' ');
        }
      } else {
        sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
      }
    }
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    return sb.substring(0, end);
  }

  /**
   * True if {@code word} occurs in {@code text} not glued to a letter or digit: {@code law} is not
   * in {@code lawn}. Only ASCII letters and digits glue, so options in scripts written without
   * spaces are found inside a sentence.
   */
  private static boolean containsWords(String text, String word) {
    for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      int end = at + word.length();
      boolean startOk = at == 0 || !alnum(text.charAt(at - 1)) || !alnum(word.charAt(0));
      boolean endOk =
          end == text.length()
              || !alnum(text.charAt(end))
              || !alnum(word.charAt(word.length() - 1));
      if (startOk && endOk) {
        return true;
      }
    }
    return false;
  }

  private static boolean alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
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

  /** The answer without Markdown code fences ({@code ```json} … {@code ```}), trimmed. */
  static String stripFences(String answer) {
    StringBuilder sb = new StringBuilder(answer.length());
    for (String line : lines(answer)) {
      if (!line.trim().startsWith("```")) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString().trim();
  }

  /**
   * {@code s} without surrounding white space, quotes, backticks, {@code *}, braces and brackets,
   * and a trailing comma or full stop; a double-quoted word loses its quotes.
   */
  static String trimDecoration(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && " \t'`*{[\"".indexOf(s.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && " \t'`*,.。!}]\"".indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(start, end);
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

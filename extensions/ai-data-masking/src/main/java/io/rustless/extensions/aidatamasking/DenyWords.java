package io.rustless.extensions.aidatamasking;

import io.rustless.sdk.higress.text.AhoCorasick;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deny words of one configuration ({@code deny_words}, plus the built-in list with {@code
 * system_deny}) in one Aho–Corasick automaton: a text is checked in one pass whatever the number of
 * words. Letters A–Z match either case; tab, CR and LF match a space; a word that starts (ends)
 * with a Latin letter, digit or '_' only matches at a word start (end), so "ass" does not match
 * "class" while "傻逼" matches inside any text.
 */
final class DenyWords {
  private static final Map<String, DenyWords> CACHE = new HashMap<>();
  private static List<String> system;

  private final AhoCorasick automaton;
  private final int customCount;
  private final boolean[] left;
  private final boolean[] right;

  private DenyWords(List<String> custom, List<String> builtIn) {
    AhoCorasick.Builder b = AhoCorasick.builder().foldAsciiCase(true).foldAsciiWhitespace(true);
    int n = 0;
    for (String w : custom) {
      b.addPattern(w);
      n++;
    }
    for (String w : builtIn) {
      b.addPattern(w);
    }
    this.automaton = b.build();
    this.customCount = Math.min(n, automaton.size());
    int size = automaton.size();
    left = new boolean[size];
    right = new boolean[size];
    for (int i = 0; i < size; i++) {
      String p = automaton.pattern(i);
      left[i] = isWordChar(p.charAt(0));
      right[i] = isWordChar(p.charAt(p.length() - 1));
    }
  }

  /**
   * The words for {@code words} (trimmed, inner whitespace runs made one space, empty ones dropped)
   * and, if {@code system}, the built-in list; configurations with the same lists share one.
   */
  static DenyWords of(List<String> words, boolean system) {
    List<String> custom = new ArrayList<>();
    StringBuilder key = new StringBuilder(system ? "S" : "-");
    for (String w : words) {
      String n = normalise(w);
      if (!n.isEmpty()) {
        custom.add(n);
        key.append('\0').append(n);
      }
    }
    String k = key.toString();
    DenyWords known = CACHE.get(k);
    if (known == null) {
      known = new DenyWords(custom, system ? systemWords() : List.of());
      CACHE.put(k, known);
    }
    return known;
  }

  /** Forgets the automata of an earlier configuration. */
  static void clearCache() {
    CACHE.clear();
  }

  /** The built-in list (see system-deny-words.txt). */
  static List<String> systemWords() {
    if (system == null) {
      List<String> out = new ArrayList<>();
      String text = SystemDenyWords.text();
      int start = 0;
      while (start < text.length()) {
        int end = text.indexOf('\n', start);
        if (end < 0) {
          end = text.length();
        }
        String w = normalise(text.substring(start, end));
        if (!w.isEmpty()) {
          out.add(w);
        }
        start = end + 1;
      }
      system = out;
    }
    return system;
  }

  static String normalise(String w) {
    StringBuilder sb = new StringBuilder(w.length());
    boolean space = false;
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
        space = sb.length() > 0;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  boolean isEmpty() {
    return automaton.size() == 0;
  }

  /** The longest word, in chars. */
  int maxLength() {
    return automaton.maxLength();
  }

  /**
   * The first deny word in {@code text} (by end position), or -1. If {@code complete} is false the
   * text may continue, so a word ending at its end with a letter or digit is not decided yet.
   */
  int find(String text, boolean complete) {
    return find(text, complete, new int[1]);
  }

  /** {@link #find(String, boolean)}, with the word's start in {@code start[0]}. */
  int find(String text, boolean complete, int[] start) {
    char[] chars = new char[text.length()];
    text.getChars(0, chars.length, chars, 0); // toCharArray copies char by char under TeaVM
    return find(chars, complete, start);
  }

  /** {@link #find(String, boolean, int[])} on chars. */
  int find(char[] text, boolean complete, int[] start) {
    if (automaton.size() == 0) {
      return -1;
    }
    int n = text.length;
    int[] hit = {-1};
    automaton.scan(
        text,
        0,
        n,
        (id, begin, end) -> {
          if (left[id] && begin > 0 && isWordChar(text[begin - 1])) {
            return true;
          }
          if (right[id]) {
            if (end < n) {
              if (isWordChar(text[end])) {
                return true;
              }
            } else if (!complete) {
              return true;
            }
          }
          hit[0] = id;
          start[0] = begin;
          return false;
        });
    return hit[0];
  }

  /** For logs: which list the word comes from, and the word. */
  String describe(int id) {
    return (id < customCount ? "custom" : "built-in")
        + " deny word \""
        + automaton.pattern(id)
        + "\"";
  }
}

package io.rustless.extensions.aidatamasking;

import io.rustless.sdk.higress.text.AhoCorasick;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The masks one request produced with {@code restore: true}, each with its original. A mask that
 * two different originals produced is ambiguous and never restored; the same original masked twice
 * is not ambiguous (Higress's plugin dropped those too).
 */
final class RestoreMap {
  private final Map<String, String> originals = new HashMap<>();
  private final List<String> ambiguous = new ArrayList<>();
  private AhoCorasick automaton;
  private String[] replacements;

  void put(String mask, String original) {
    if (mask.isEmpty() || ambiguous.contains(mask)) {
      return;
    }
    String known = originals.get(mask);
    if (known == null) {
      originals.put(mask, original);
    } else if (!known.equals(original)) {
      originals.remove(mask);
      ambiguous.add(mask);
    } else {
      return;
    }
    automaton = null;
  }

  /** True if nothing can be restored. */
  boolean isEmpty() {
    return originals.isEmpty();
  }

  int size() {
    return originals.size();
  }

  /** Masks seen with different originals. */
  List<String> ambiguous() {
    return ambiguous;
  }

  /** The longest restorable mask, in chars (0 if none). */
  int maxMaskLength() {
    return isEmpty() ? 0 : automaton().maxLength();
  }

  AhoCorasick automaton() {
    if (automaton == null) {
      AhoCorasick.Builder b = AhoCorasick.builder();
      List<String> masks = new ArrayList<>(originals.keySet());
      replacements = new String[masks.size()];
      for (String m : masks) {
        replacements[b.addPattern(m)] = originals.get(m);
      }
      automaton = b.build();
    }
    return automaton;
  }

  /** The original of the mask with automaton id {@code id}. */
  String original(int id) {
    automaton();
    return replacements[id];
  }

  /** {@code text} with every mask (leftmost-longest) replaced by its original. */
  String restore(String text) {
    if (isEmpty() || text.isEmpty()) {
      return text;
    }
    AhoCorasick ac = automaton();
    return ac.replace(text, id -> replacements[id]);
  }
}

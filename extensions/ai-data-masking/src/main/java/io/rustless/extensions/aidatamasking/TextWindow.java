package io.rustless.extensions.aidatamasking;

import io.rustless.sdk.higress.text.AhoCorasick;

/**
 * A stream of text (one choice's {@code content}, or a raw response body) checked and restored as
 * it arrives. Text is passed on only once it is safe: the last {@code hold} characters stay back so
 * that a mask or a deny word split across chunks is still seen whole, where {@code hold} = the
 * longest deny word, or the longest mask minus one, whichever is larger. Nothing stays back when
 * there is nothing to look for.
 *
 * <p>Deny words are looked for in the text as the upstream sent it, with enough of the text already
 * passed on kept as context for the word boundaries; masks are replaced leftmost-longest, as over
 * the whole text at once.
 */
final class TextWindow {
  private final DenyWords deny;
  private final RestoreMap restore;
  private final int hold;
  private final int contextLength;
  private StringBuilder pending = new StringBuilder();
  private String context = "";
  private int denyStart;

  TextWindow(DenyWords deny, RestoreMap restore) {
    this.deny = deny;
    this.restore = restore;
    int denyHold = deny.isEmpty() ? 0 : deny.maxLength();
    int maskHold = restore.isEmpty() ? 0 : restore.maxMaskLength() - 1;
    this.hold = Math.max(denyHold, maskHold);
    this.contextLength = deny.isEmpty() ? 0 : deny.maxLength() + 1;
  }

  /** True if no text is held back. */
  boolean isEmpty() {
    return pending.length() == 0;
  }

  /**
   * Adds text; returns the id of a deny word now seen (see {@link DenyWords#find}), or -1. With
   * {@code complete} the stream ends here.
   */
  int append(String text, boolean complete) {
    pending.append(text);
    if (deny.isEmpty() || (text.isEmpty() && !complete)) {
      return -1;
    }
    int[] start = new int[1];
    int word = deny.find(context + pending, complete, start);
    denyStart = Math.max(0, start[0] - context.length());
    return word;
  }

  /** After {@link #append} found a deny word: the text before it, restored. */
  String beforeDenyWord() {
    return take(denyStart, false);
  }

  /** The text that is safe to pass on now, restored. */
  String take() {
    return take(pending.length() - hold, true);
  }

  /** Everything held back, restored (the stream ended or the field is complete). */
  String flush() {
    return take(pending.length(), true);
  }

  /** Text up to {@code cut}; a mask across {@code cut} is restored whole only if {@code extend}. */
  private String take(int cut, boolean extend) {
    if (cut <= 0) {
      return "";
    }
    String p = pending.toString();
    int len = p.length();
    StringBuilder out = null;
    int last = 0;
    if (!restore.isEmpty()) {
      AhoCorasick ac = restore.automaton();
      int[] m = ac.leftmostLongest(p, 0, len);
      for (int i = 0; i < m.length; i += 3) {
        int start = m[i + 1];
        if (start >= cut || (!extend && m[i + 2] > cut)) {
          break;
        }
        if (out == null) {
          out = new StringBuilder(len + 16);
        }
        out.append(p, last, start).append(restore.original(m[i]));
        last = m[i + 2];
        cut = Math.max(cut, last);
      }
    }
    if (cut < len && cut > last && Character.isLowSurrogate(p.charAt(cut))) {
      cut--; // never split a surrogate pair
    }
    String raw = p.substring(0, cut);
    String emitted;
    if (out == null) {
      emitted = raw;
    } else {
      emitted = out.append(p, last, cut).toString();
    }
    if (contextLength > 0) {
      String c = context + raw;
      context = c.length() > contextLength ? c.substring(c.length() - contextLength) : c;
    }
    pending = new StringBuilder(len - cut + 16).append(p, cut, len);
    return emitted;
  }
}

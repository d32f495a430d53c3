package io.rustless.extensions.aidatamasking;

import java.util.List;

/** Applies {@code replace_roles} to a text, rule after rule, as Higress's plugin does. */
final class Masker implements RegexFinder.Visitor {
  private final RestoreMap restore;
  private MaskRule rule;
  private String text;
  private StringBuilder out;
  private int last;

  private Masker(RestoreMap restore) {
    this.restore = restore;
  }

  /**
   * {@code text} with every rule applied in order (each to the previous one's output); masks of
   * rules with {@code restore} are recorded in {@code restore}. {@code text} itself if unchanged.
   */
  static String mask(List<MaskRule> rules, String text, RestoreMap restore) {
    if (rules.isEmpty() || text.isEmpty()) {
      return text;
    }
    Masker m = new Masker(restore);
    String current = text;
    for (MaskRule r : rules) {
      current = m.apply(r, current);
    }
    return current.equals(text) ? text : current;
  }

  private String apply(MaskRule r, String in) {
    this.rule = r;
    this.text = in;
    this.out = null;
    this.last = 0;
    r.finder().findAll(in, this);
    if (out == null) {
      return in;
    }
    return out.append(in, last, in.length()).toString();
  }

  @Override
  public void match(String in, int start, int end) {
    String mask = rule.mask(in, start, end);
    if (out == null) {
      out = new StringBuilder(text.length() + 16);
    }
    out.append(text, last, start).append(mask);
    last = end;
    if (rule.restore()) {
      restore.put(mask, text.substring(start, end));
    }
  }
}

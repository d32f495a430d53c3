package io.rustless.extensions.aidatamasking;

/**
 * Applies {@code replace_roles} to a text, rule after rule (each to the previous one's output), as
 * Higress's plugin does; the runs all rules search come from one {@link MaskPlan} pass.
 */
final class Masker implements RegexFinder.Visitor {
  private final RestoreMap restore;
  private MaskRule rule;
  // the current rule's matches: [start, end] pairs and their masks; the output is written once,
  // at its exact size, when the rule is done (no growing buffer and no trimming copy)
  private int[] spans = new int[32];
  private String[] masks = new String[16];
  private int count;
  private int growth; // output length minus input length

  private Masker(RestoreMap restore) {
    this.restore = restore;
  }

  /**
   * {@code text} with every rule applied; masks of rules with {@code restore} are recorded in
   * {@code restore}. {@code text} itself if unchanged.
   */
  static String mask(MaskPlan plan, String text, RestoreMap restore) {
    if (plan.rules().isEmpty() || text.isEmpty()) {
      return text;
    }
    char[] chars = new char[text.length()];
    text.getChars(0, chars.length, chars, 0); // toCharArray copies char by char under TeaVM
    char[] result = mask(plan, chars, restore);
    return result == null ? text : new String(result);
  }

  /** {@link #mask(MaskPlan, String, RestoreMap)} on chars; null if nothing changed. */
  static char[] mask(MaskPlan plan, char[] text, RestoreMap restore) {
    if (plan.rules().isEmpty() || text.length == 0) {
      return null;
    }
    Masker m = new Masker(restore);
    int[][] runs = plan.scan(text);
    char[] current = text;
    boolean any = false;
    int count = plan.rules().size();
    for (int k = 0; k < count; k++) {
      MaskRule r = plan.rules().get(k);
      m.begin(r);
      if (plan.usesRuns(k)) {
        int[] own = runs[k];
        for (int i = 0; i < own.length; i += 2) {
          r.finder().searchRun(current, own[i], own[i + 1], m);
        }
      } else {
        r.finder().findAll(current, m);
      }
      if (m.count == 0) {
        continue;
      }
      char[] next = m.finish(current);
      int[] e = m.edits();
      for (int j = k + 1; j < count && j < runs.length; j++) {
        if (plan.usesRuns(j)) {
          runs[j] = plan.remap(j, runs[j], e, next);
        }
      }
      current = next;
      any = true;
    }
    return any ? current : null;
  }

  private void begin(MaskRule r) {
    this.rule = r;
    this.count = 0;
    this.growth = 0;
    java.util.Arrays.fill(masks, null);
  }

  /** {@code in} with the rule's matches replaced by their masks. */
  private char[] finish(char[] in) {
    char[] out = new char[in.length + growth];
    int from = 0;
    int to = 0;
    for (int i = 0; i < count; i++) {
      int start = spans[2 * i];
      int keep = start - from;
      System.arraycopy(in, from, out, to, keep);
      to += keep;
      String mask = masks[i];
      int n = mask.length();
      mask.getChars(0, n, out, to);
      to += n;
      from = spans[2 * i + 1];
    }
    System.arraycopy(in, from, out, to, in.length - from);
    return out;
  }

  /** The rule's edits: [start, end, newLength] triples in the input's coordinates. */
  private int[] edits() {
    int[] e = new int[3 * count];
    for (int i = 0; i < count; i++) {
      e[3 * i] = spans[2 * i];
      e[3 * i + 1] = spans[2 * i + 1];
      e[3 * i + 2] = masks[i].length();
    }
    return e;
  }

  @Override
  public void match(char[] in, int start, int end) {
    String mask = rule.mask(in, start, end);
    if (count == masks.length) {
      masks = java.util.Arrays.copyOf(masks, count * 2);
      spans = java.util.Arrays.copyOf(spans, count * 4);
    }
    spans[2 * count] = start;
    spans[2 * count + 1] = end;
    masks[count] = mask;
    count++;
    growth += mask.length() - (end - start);
    if (rule.restore()) {
      restore.put(mask, new String(in, start, end - start));
    }
  }
}

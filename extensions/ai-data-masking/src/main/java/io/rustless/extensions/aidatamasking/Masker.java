package io.rustless.extensions.aidatamasking;

/**
 * Applies {@code replace_roles} to a text, rule after rule (each to the previous one's output), as
 * Higress's plugin does; the runs all rules search come from one {@link MaskPlan} pass.
 */
final class Masker implements RegexFinder.Visitor {
  private final RestoreMap restore;
  private MaskRule rule;
  private char[] out;
  private int size;
  private int last;
  private MaskPlan.Runs edits;

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
      if (m.out == null) {
        continue;
      }
      char[] next = m.finish(current);
      int[] e = m.edits.toArray();
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
    this.out = null;
    this.size = 0;
    this.last = 0;
    this.edits = null;
  }

  private char[] finish(char[] in) {
    append(in, last, in.length - last);
    char[] result = new char[size];
    System.arraycopy(out, 0, result, 0, size);
    return result;
  }

  @Override
  public void match(char[] in, int start, int end) {
    String mask = rule.mask(in, start, end);
    if (out == null) {
      out = new char[in.length + 64];
      edits = new MaskPlan.Runs();
    }
    append(in, last, start - last);
    int n = mask.length();
    ensure(n);
    mask.getChars(0, n, out, size);
    size += n;
    last = end;
    edits.add(start, end);
    edits.add(n); // [start, end, newLength] triples
    if (rule.restore()) {
      restore.put(mask, new String(in, start, end - start));
    }
  }

  private void append(char[] in, int from, int len) {
    ensure(len);
    System.arraycopy(in, from, out, size, len);
    size += len;
  }

  private void ensure(int more) {
    if (size + more > out.length) {
      char[] bigger = new char[Math.max(out.length * 2, size + more + 16)];
      System.arraycopy(out, 0, bigger, 0, size);
      out = bigger;
    }
  }
}

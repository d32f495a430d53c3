package io.rustless.extensions.requestblock;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.higress.config.InvalidConfigException;
import io.rustless.sdk.lang.Ascii;
import io.rustless.sdk.lang.Utf8;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * request-block's configuration. When matching is case-insensitive, the patterns are lower-cased
 * here, once (the anchor lower-cased only the request, so an upper-case pattern never matched).
 * With path normalisation on, {@code blockExactUrls} and {@code blockUrls} also hold each pattern
 * in normalised form (see {@link PathNormalizer}), since a normalised path is compared with them.
 *
 * @param blockedCode the status of the block reply (100–599)
 * @param blockedMessage the body of the block reply
 * @param caseSensitive compare without folding ASCII case
 * @param blockUrls substrings of {@code :path} that block
 * @param blockExactUrls whole {@code :path} values that block
 * @param blockRegexpUrls regular expressions (RE2 syntax) found anywhere in {@code :path}
 * @param blockHeaders substrings of the headers written as {@code name\nvalue} lines
 * @param blockBodies substrings (bytes) of the request body
 * @param normalizePath match URL patterns against the normalised path as well as the raw one
 * @param blockEscapedSlashes block a path with {@code %2F}, {@code %5C} or a backslash
 */
public record RequestBlockConfig(
    int blockedCode,
    String blockedMessage,
    boolean caseSensitive,
    List<String> blockUrls,
    List<String> blockExactUrls,
    List<Pattern> blockRegexpUrls,
    List<String> blockHeaders,
    List<byte[]> blockBodies,
    boolean normalizePath,
    boolean blockEscapedSlashes) {

  public static final int DEFAULT_BLOCKED_CODE = 403;

  /**
   * The configuration the plugin runs with: {@link #parse}, refusing one that blocks nothing. A
   * plugin that guards access and silently does nothing is the worst outcome; Higress's Go and C++
   * request-block refuse it too ("there is no block rules").
   */
  public static RequestBlockConfig parseChecked(ConfigReader c) {
    RequestBlockConfig config = parse(c);
    if (!config.blocksSomething()) {
      String where = c.pathOf("");
      throw new InvalidConfigException(
          where.endsWith(".") ? where.substring(0, where.length() - 1) : where,
          "nothing to block: set a non-empty block_urls, block_exact_urls, block_regexp_urls,"
              + " block_headers or block_bodies (empty strings do not count), or"
              + " block_escaped_slashes: true");
    }
    return config;
  }

  /** The fields, with their defaults; {@link #parseChecked} also checks that something blocks. */
  public static RequestBlockConfig parse(ConfigReader c) {
    boolean caseSensitive = c.getBoolean("case_sensitive", true);
    boolean normalizePath = c.getBoolean("normalize_path", true);
    List<Pattern> regexps = new ArrayList<>();
    List<String> sources = c.getStringList("block_regexp_urls");
    for (int i = 0; i < sources.size(); i++) {
      String re = sources.get(i);
      if (re.isEmpty()) { // an empty expression would block every request
        continue;
      }
      try {
        regexps.add(
            caseSensitive ? Pattern.compile(re) : Pattern.compile(re, Pattern.CASE_INSENSITIVE));
      } catch (PatternSyntaxException e) {
        throw c.error(
            "block_regexp_urls[" + i + "]",
            "invalid regular expression '" + re + "': " + e.getDescription());
      }
    }
    List<byte[]> bodies = new ArrayList<>();
    for (String body : c.getStringList("block_bodies")) {
      if (!body.isEmpty()) { // an empty pattern would block every body
        bodies.add(Utf8.encode(fold(body, caseSensitive)));
      }
    }
    return new RequestBlockConfig(
        c.getInt("blocked_code", DEFAULT_BLOCKED_CODE, 100, 599),
        c.getString("blocked_message", ""),
        caseSensitive,
        urls(c.getStringList("block_urls"), caseSensitive, normalizePath, false),
        urls(c.getStringList("block_exact_urls"), caseSensitive, normalizePath, true),
        Collections.unmodifiableList(regexps),
        folded(c.getStringList("block_headers"), caseSensitive),
        Collections.unmodifiableList(bodies),
        normalizePath,
        c.getBoolean("block_escaped_slashes", false));
  }

  /**
   * URL patterns, folded; with normalisation also in their normalised forms: whole paths fully,
   * substrings only their percent-encodings (a fragment such as {@code ../} is no path to resolve).
   * A request's form is compared with every entry: all are spellings of the same path.
   */
  private static List<String> urls(
      List<String> in, boolean caseSensitive, boolean normalize, boolean whole) {
    List<String> out = new ArrayList<>(in.size());
    for (String s : in) {
      if (s.isEmpty()) {
        continue;
      }
      addNew(out, fold(s, caseSensitive));
      if (normalize && whole) {
        for (String form : PathNormalizer.forms(s)) {
          addNew(out, fold(form, caseSensitive));
        }
      } else if (normalize) {
        addNew(out, fold(PathNormalizer.decodeUnreserved(s), caseSensitive));
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static void addNew(List<String> list, String s) {
    for (String t : list) {
      if (t.equals(s)) {
        return;
      }
    }
    list.add(s);
  }

  static String fold(String s, boolean caseSensitive) {
    return caseSensitive ? s : Ascii.toLowerCase(s);
  }

  private static List<String> folded(List<String> in, boolean caseSensitive) {
    List<String> out = new ArrayList<>(in.size());
    for (String s : in) {
      if (!s.isEmpty()) {
        out.add(fold(s, caseSensitive));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** True if any URL list is set. */
  boolean checksUrls() {
    return !blockUrls.isEmpty() || !blockExactUrls.isEmpty() || !blockRegexpUrls.isEmpty();
  }

  /** True if {@code :path} has to be read. */
  boolean checksPath() {
    return blockEscapedSlashes || checksUrls();
  }

  /** False for a configuration that could never block a request. */
  boolean blocksSomething() {
    return checksPath() || !blockHeaders.isEmpty() || !blockBodies.isEmpty();
  }
}

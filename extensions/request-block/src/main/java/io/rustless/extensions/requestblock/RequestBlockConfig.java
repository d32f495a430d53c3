package io.rustless.extensions.requestblock;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.lang.Ascii;
import io.rustless.sdk.lang.Utf8;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * request-block's configuration. When matching is case-insensitive, the patterns are lower-cased
 * here, once (the anchor lower-cased only the request, so an upper-case pattern never matched).
 *
 * @param blockedCode the status of the block reply (100–599)
 * @param blockedMessage the body of the block reply
 * @param caseSensitive compare without folding ASCII case
 * @param blockUrls substrings of {@code :path} that block
 * @param blockExactUrls whole {@code :path} values that block
 * @param blockRegexpUrls regular expressions (RE2 syntax) found anywhere in {@code :path}
 * @param blockHeaders substrings of the headers written as {@code name\nvalue} lines
 * @param blockBodies substrings (bytes) of the request body
 */
public record RequestBlockConfig(
    int blockedCode,
    String blockedMessage,
    boolean caseSensitive,
    List<String> blockUrls,
    List<String> blockExactUrls,
    List<Pattern> blockRegexpUrls,
    List<String> blockHeaders,
    List<byte[]> blockBodies) {

  public static final int DEFAULT_BLOCKED_CODE = 403;

  public static RequestBlockConfig parse(ConfigReader c) {
    boolean caseSensitive = c.getBoolean("case_sensitive", true);
    List<Pattern> regexps = new ArrayList<>();
    List<String> sources = c.getStringList("block_regexp_urls");
    for (int i = 0; i < sources.size(); i++) {
      String re = sources.get(i);
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
        folded(c.getStringList("block_urls"), caseSensitive),
        folded(c.getStringList("block_exact_urls"), caseSensitive),
        Collections.unmodifiableList(regexps),
        folded(c.getStringList("block_headers"), caseSensitive),
        Collections.unmodifiableList(bodies));
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

  /** True if any URL list is set (only then is {@code :path} read). */
  boolean checksUrls() {
    return !blockUrls.isEmpty() || !blockExactUrls.isEmpty() || !blockRegexpUrls.isEmpty();
  }
}

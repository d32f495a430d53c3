package io.rustless.operator.git;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The refs a git server advertises on {@code GET <repo>/info/refs?service=git-upload-pack} (smart
 * HTTP, protocol v0/v1): pkt-lines of {@code <sha> <ref>}, the first carrying capabilities after a
 * NUL, annotated tags followed by their peeled {@code <ref>^{}}.
 */
public final class RefAdvertisement {

  /** A full commit id: SHA-1 or SHA-256 object name. */
  public static final Pattern FULL_COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  private final Map<String, String> refs;

  private RefAdvertisement(Map<String, String> refs) {
    this.refs = Map.copyOf(refs);
  }

  /** Parses a response body; throws {@link GitResolveException} if it is not pkt-lines. */
  public static RefAdvertisement parse(byte[] body) {
    var refs = new LinkedHashMap<String, String>();
    int p = 0;
    while (p + 4 <= body.length) {
      int len;
      try {
        len = Integer.parseInt(new String(body, p, 4, StandardCharsets.US_ASCII), 16);
      } catch (NumberFormatException e) {
        throw new GitResolveException("the server's ref advertisement is not in pkt-line format");
      }
      if (len == 0) {
        p += 4;
        continue;
      }
      if (len < 4 || p + len > body.length) {
        throw new GitResolveException("the server's ref advertisement is truncated");
      }
      String line = new String(body, p + 4, len - 4, StandardCharsets.UTF_8);
      p += len;
      if (line.startsWith("#")) {
        continue;
      }
      int nul = line.indexOf('\0');
      if (nul >= 0) {
        line = line.substring(0, nul);
      }
      line = line.strip();
      int space = line.indexOf(' ');
      if (space <= 0) {
        continue;
      }
      String sha = line.substring(0, space);
      String ref = line.substring(space + 1);
      if (FULL_COMMIT.matcher(sha).matches() && !ref.equals("capabilities^{}")) {
        refs.put(ref, sha);
      }
    }
    return new RefAdvertisement(refs);
  }

  /**
   * The commit {@code revision} names: a full ref ({@code refs/…}), a branch, a tag (peeled to its
   * commit) or {@code HEAD}, in that order.
   */
  public Optional<String> resolve(String revision) {
    if (revision.startsWith("refs/")) {
      return peeled(revision);
    }
    if (revision.equals("HEAD")) {
      return Optional.ofNullable(refs.get("HEAD"));
    }
    return peeled("refs/heads/" + revision).or(() -> peeled("refs/tags/" + revision));
  }

  private Optional<String> peeled(String ref) {
    return Optional.ofNullable(refs.getOrDefault(ref + "^{}", refs.get(ref)));
  }

  public Map<String, String> refs() {
    return refs;
  }
}

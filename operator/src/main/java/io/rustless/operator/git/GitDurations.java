package io.rustless.operator.git;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kubernetes objects write them ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code
 * 500ms}).
 */
public final class GitDurations {

  private static final Pattern WHOLE = Pattern.compile("([0-9]+(\\.[0-9]+)?(ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private GitDurations() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming it when it is not one. */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text.strip()).matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration such as 30s, 5m or 1h30m");
    }
    double millis = 0;
    Matcher m = PART.matcher(text.strip());
    while (m.find()) {
      double n = Double.parseDouble(m.group(1));
      millis +=
          switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
          };
    }
    return Duration.ofMillis(Math.round(millis));
  }
}

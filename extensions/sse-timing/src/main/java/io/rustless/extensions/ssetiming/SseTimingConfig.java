package io.rustless.extensions.ssetiming;

import io.rustless.sdk.higress.config.ConfigReader;

/**
 * sse-timing's configuration.
 *
 * @param vendor the name in each {@code server-timing} comment
 */
public record SseTimingConfig(String vendor) {
  public static final String DEFAULT_VENDOR = "higress";

  public static SseTimingConfig parse(ConfigReader config) {
    String vendor = config.getString("vendor", DEFAULT_VENDOR);
    for (int i = 0; i < vendor.length(); i++) {
      char c = vendor.charAt(i);
      if (c == '\r' || c == '\n') {
        throw config.error("vendor", "must not contain line breaks (it goes into an SSE comment)");
      }
    }
    return new SseTimingConfig(vendor);
  }
}

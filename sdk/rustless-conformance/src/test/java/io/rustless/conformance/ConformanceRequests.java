package io.rustless.conformance;

import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.TestHost;

/** The request the conformance plugin is driven with, and reading its local reply. */
final class ConformanceRequests {
  private ConformanceRequests() {}

  /** {@code GET h.com/t} plus {@code extra} name/value pairs (the plugin reads {@code x-op}). */
  static HeaderMap request(String... extra) {
    HeaderMap.Builder b =
        HeaderMap.builder().add(":method", "GET").add(":path", "/t").add(":authority", "h.com");
    for (int i = 0; i < extra.length; i += 2) {
      b.add(extra[i], extra[i + 1]);
    }
    return b.build();
  }

  /** Sends {@code headers} as a whole request and returns the body of the plugin's own reply. */
  static String replyTo(TestHost host, HeaderMap headers) {
    return host.expectLocalReply(headers).bodyString();
  }
}

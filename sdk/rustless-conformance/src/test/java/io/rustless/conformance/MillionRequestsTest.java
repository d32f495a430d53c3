package io.rustless.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;

/**
 * 10^6 requests through one instance: memory stays put and the GC keeps up. Uses the 2 MiB-heap
 * build, so the requests' garbage (hundreds of megabytes in all) must be collected many times.
 */
@RustlessTest(plugin = ConformancePlugin.class, wasm = "target/small-heap.wasm")
class MillionRequestsTest {

  @DualModeTest
  void aMillionRequestsKeepMemoryBounded(PluginHarness plugin) {
    HeaderMap headers =
        HeaderMap.of(
            ":method",
            "GET",
            ":path",
            "/t",
            ":authority",
            "h.com",
            "x-op",
            "add-header",
            "x-name",
            "x-added",
            "x-value",
            "v");
    try (TestHost host = plugin.start("")) {
      long memoryAfterWarmUp = -1;
      long previousFree = -1;
      int gcObserved = 0;
      for (int i = 0; i < 1_000_000; i++) {
        host.callOnHttpRequestHeaders(headers, true);
        host.completeHttp();
        if (i == 10_000) {
          memoryAfterWarmUp = host.memoryBytes();
        }
        if (i % 1000 == 0) {
          long free = host.heapFreeBytes();
          if (previousFree >= 0 && free > previousFree) {
            gcObserved++;
          }
          previousFree = free;
        }
      }
      assertThat(host.getRequestHeaders().getAll("x-added")).containsExactly("v");
      if (plugin.mode().runsModule()) {
        assertThat(host.memoryBytes()).isEqualTo(memoryAfterWarmUp);
        assertThat(gcObserved).as("times the free heap grew back").isGreaterThan(50);
      } else {
        assertThat(host.liveContexts()).isEqualTo(1);
      }
    }
  }
}

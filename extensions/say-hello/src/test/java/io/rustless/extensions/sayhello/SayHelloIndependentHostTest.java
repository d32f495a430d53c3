package io.rustless.extensions.sayhello;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.testing.crosscheck.IndependentHost;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** say-hello's plugin.wasm in a proxy-wasm host that Rustless did not write. */
class SayHelloIndependentHostTest {
  private static final Path WASM = Path.of("target/plugin.wasm");

  @Test
  void greetsWithTheGlobalName() {
    try (IndependentHost host = IndependentHost.start(WASM, "{\"name\": \"Alice\"}")) {
      assertThat(host.started()).isTrue();
      IndependentHost.Reply reply = host.requestHeaders(":authority", "example.com", ":path", "/");
      assertThat(reply.statusCode()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("Hello, Alice!");
      assertThat(reply.headers()).containsEntry("content-type", "text/plain; charset=utf-8");
    }
  }

  @Test
  void domainAndRouteRulesMatch() {
    String config =
        "{\"name\": \"Alice\", \"_rules_\": ["
            + "{\"_match_domain_\": [\"*.foo.com\"], \"name\": \"Foo\"},"
            + "{\"_match_route_\": [\"lucy\"], \"name\": \"Lucy\"}]}";
    try (IndependentHost host = IndependentHost.start(WASM, config)) {
      assertThat(host.requestHeaders(":authority", "a.foo.com:8443").body())
          .isEqualTo("Hello, Foo!");
      host.setProperty("lucy", "route_name");
      assertThat(host.requestHeaders(":authority", "example.com").body()).isEqualTo("Hello, Lucy!");
    }
  }

  @Test
  void noMatchingConfigurationGreetsTheWorld() {
    String config = "{\"_rules_\": [{\"_match_domain_\": [\"foo.com\"], \"name\": \"Foo\"}]}";
    try (IndependentHost host = IndependentHost.start(WASM, config)) {
      assertThat(host.requestHeaders(":authority", "bar.com").body()).isEqualTo("Hello, World!");
    }
  }

  @Test
  void missingNameFailsToStartWithTheFieldLogged() {
    try (IndependentHost host = IndependentHost.start(WASM, "{}")) {
      assertThat(host.started()).isFalse();
      assertThat(host.logs())
          .contains(
              "ERROR [say-hello] invalid configuration: name: required field is missing"
                  + " (expected a string)");
    }
  }

  @Test
  void nonUtf8AuthorityDoesNotTrap() {
    try (IndependentHost host = IndependentHost.start(WASM, "{\"name\": \"Alice\"}")) {
      Map<String, byte[]> headers = new LinkedHashMap<>();
      headers.put(":authority", new byte[] {(byte) 0xFF, (byte) 0xC0, 'x'});
      assertThat(host.requestHeaders(headers).body()).isEqualTo("Hello, Alice!");
    }
  }
}

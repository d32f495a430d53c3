package io.rustless.host.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.sdk.host.HeaderMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SampleRequestTest {

  @Test
  void parsesMethodUrlHeadersOptionsAndBody() {
    SampleRequest r =
        SampleRequest.parse(
            "post https://api.example.com:8443/v1/chat?x=1 content-type: application/json"
                + " x-user: alice smith @route=default/api @cluster=outbound|80||a.dns << {\"a\": 1}");
    assertThat(r.headers())
        .isEqualTo(
            HeaderMap.of(
                ":method", "POST",
                ":scheme", "https",
                ":authority", "api.example.com:8443",
                ":path", "/v1/chat?x=1",
                "content-type", "application/json",
                "x-user", "alice smith",
                "content-length", "8"));
    assertThat(r.routeName()).isEqualTo("default/api");
    assertThat(r.clusterName()).isEqualTo("outbound|80||a.dns");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\": 1}");
  }

  @Test
  void defaultsThePath() {
    assertThat(SampleRequest.parse("GET http://h.com").headers().get(":path")).contains("/");
  }

  @Test
  void explainsBadLines() {
    assertThatThrownBy(() -> SampleRequest.parse("GET"))
        .hasMessage("expected 'METHOD URL …' but got: GET");
    assertThatThrownBy(() -> SampleRequest.parse("GET /relative"))
        .hasMessageContaining("the URL needs a host");
    assertThatThrownBy(() -> SampleRequest.parse("GET http://h.com value-without-name"))
        .hasMessageContaining("expected 'name:' before 'value-without-name'");
  }
}

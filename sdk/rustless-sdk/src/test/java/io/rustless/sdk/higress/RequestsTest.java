package io.rustless.sdk.higress;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.host.HeaderMap;
import org.junit.jupiter.api.Test;

class RequestsTest {

  @Test
  void binaryBodiesAreOctetStreamGrpcOrEncoded() {
    assertThat(Requests.isBinary(HeaderMap.of("content-type", "application/octet-stream")))
        .isTrue();
    assertThat(Requests.isBinary(HeaderMap.of("content-type", "application/grpc+proto"))).isTrue();
    assertThat(
            Requests.isBinary(
                HeaderMap.of("content-type", "text/plain", "content-encoding", "gzip")))
        .isTrue();
    assertThat(Requests.isBinary(HeaderMap.of("content-type", "application/json"))).isFalse();
    assertThat(Requests.isBinary(HeaderMap.empty())).isFalse();
  }

  @Test
  void aBodyIsAnnouncedByTypeLengthOrChunking() {
    assertThat(Requests.hasBody(HeaderMap.of("content-type", "application/json"))).isTrue();
    assertThat(Requests.hasBody(HeaderMap.of("content-length", "12"))).isTrue();
    assertThat(Requests.hasBody(HeaderMap.of("content-length", "0"))).isFalse();
    assertThat(Requests.hasBody(HeaderMap.of("content-length", "bogus"))).isFalse();
    assertThat(Requests.hasBody(HeaderMap.of("transfer-encoding", "chunked"))).isTrue();
    assertThat(Requests.hasBody(HeaderMap.of(":method", "GET"))).isFalse();
  }
}

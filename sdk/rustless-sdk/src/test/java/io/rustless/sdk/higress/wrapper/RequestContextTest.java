package io.rustless.sdk.higress.wrapper;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestContextTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "http://httpbin.org/post|httpbin.org|/post",
        "https://a.com:8443/x?y=1#frag|a.com:8443|/x?y=1",
        "http://a.com|a.com|/",
        "http://a.com?q=1|a.com|/?q=1",
        "/v1/chat/completions|''|/v1/chat/completions",
        "relative/path|null|null",
        "http:///nohost|null|null",
        "http://a b.com/|null|null",
        "1http://a.com/|null|null",
        "''|null|null",
      })
  void splitsUrlsLikeTheAnchor(String url, String authority, String path) {
    String[] parts = RequestContext.splitUrl(url);
    if (authority == null) {
      assertThat(parts).isNull();
    } else {
      assertThat(parts).containsExactly(authority, path);
    }
  }
}

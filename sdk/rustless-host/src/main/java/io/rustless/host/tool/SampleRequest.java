package io.rustless.host.tool;

import io.rustless.sdk.host.HeaderMap;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of a requests file:
 *
 * <pre>
 * METHOD URL [name: value]... [@route=ROUTE] [@cluster=CLUSTER] [&lt;&lt; BODY]
 * GET http://foo.example.com/hello x-user: alice @route=default/lucy
 * POST http://example.com/api content-type: application/json &lt;&lt; {"a": 1}
 * </pre>
 *
 * A header is a token ending in ':' followed by its value, which runs to the next such token, an
 * {@code @} option or the body. Lines starting with '#' are comments.
 */
public record SampleRequest(
    String line, HeaderMap headers, String routeName, String clusterName, byte[] body) {

  /** Parses {@code line}; throws IllegalArgumentException with the reason. */
  public static SampleRequest parse(String line) {
    String text = line.trim();
    byte[] body = null;
    int bodyAt = text.indexOf("<<");
    if (bodyAt >= 0) {
      body = text.substring(bodyAt + 2).trim().getBytes(StandardCharsets.UTF_8);
      text = text.substring(0, bodyAt).trim();
    }
    String[] tokens = text.split("\\s+");
    if (tokens.length < 2) {
      throw new IllegalArgumentException("expected 'METHOD URL …' but got: " + line);
    }
    URI uri;
    try {
      uri = URI.create(tokens[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad URL '" + tokens[1] + "' in: " + line, e);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the URL needs a host, e.g. http://example.com/: " + line);
    }
    String authority = uri.getRawAuthority();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    HeaderMap.Builder headers =
        HeaderMap.builder()
            .add(":method", tokens[0].toUpperCase(java.util.Locale.ROOT))
            .add(":scheme", uri.getScheme() == null ? "http" : uri.getScheme())
            .add(":authority", authority)
            .add(":path", path);
    String route = null;
    String cluster = null;
    List<String> pending = new ArrayList<>();
    for (int i = 2; i < tokens.length; i++) {
      String t = tokens[i];
      if (t.startsWith("@route=")) {
        route = t.substring(7);
      } else if (t.startsWith("@cluster=")) {
        cluster = t.substring(9);
      } else if (t.endsWith(":")) {
        flush(pending, headers, line);
        pending.add(t);
      } else {
        if (pending.isEmpty()) {
          throw new IllegalArgumentException("expected 'name:' before '" + t + "' in: " + line);
        }
        pending.add(t);
      }
    }
    flush(pending, headers, line);
    if (body != null) {
      headers.add("content-length", Integer.toString(body.length));
    }
    return new SampleRequest(line.trim(), headers.build(), route, cluster, body);
  }

  private static void flush(List<String> pending, HeaderMap.Builder headers, String line) {
    if (pending.isEmpty()) {
      return;
    }
    String name = pending.get(0);
    name = name.substring(0, name.length() - 1).toLowerCase(java.util.Locale.ROOT);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty header name in: " + line);
    }
    headers.add(name, String.join(" ", pending.subList(1, pending.size())));
    pending.clear();
  }
}

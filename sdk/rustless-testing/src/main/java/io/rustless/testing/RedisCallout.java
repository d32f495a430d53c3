package io.rustless.testing;

import io.rustless.host.upstream.RespReader;
import java.nio.charset.StandardCharsets;

/** A Redis command the plugin sent ({@code proxy_redis_call}); {@code query} is RESP. */
public record RedisCallout(int token, String upstream, byte[] query) {
  public RedisCallout {
    query = query.clone();
  }

  @Override
  public byte[] query() {
    return query.clone();
  }

  /** The command as text, e.g. {@code "INCR connect"} (arguments joined by spaces). */
  public String command() {
    return String.join(" ", RespReader.readCommand(query));
  }

  /** The raw RESP text. */
  public String raw() {
    return new String(query, StandardCharsets.UTF_8);
  }
}

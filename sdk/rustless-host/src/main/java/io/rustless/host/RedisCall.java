package io.rustless.host;

/**
 * A Redis command a plugin sent ({@code proxy_redis_call}, RESP-encoded) and that has not been
 * answered.
 *
 * @param contextId the context that was effective when the plugin sent it
 */
public record RedisCall(int token, String upstream, byte[] query, int contextId) {
  public RedisCall {
    query = query.clone();
  }

  @Override
  public byte[] query() {
    return query.clone();
  }
}

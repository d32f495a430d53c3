package io.rustless.sdk.higress.redis;

/**
 * The outcome of one Redis command: its reply, or why there is none ({@code status} != 0 when the
 * call failed; a reply that could not be parsed). A Redis error reply ({@code -ERR …}) is a reply:
 * see {@link RespValue#isError()}.
 */
public record RedisResult(int token, int status, RespValue value, String error) {

  /** True if Redis answered (possibly with an error reply). */
  public boolean ok() {
    return error == null;
  }
}

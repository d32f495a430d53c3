package io.rustless.sdk.higress.redis;

/** Receives the outcome of one Redis command. */
@FunctionalInterface
public interface RedisCallback {
  void onResult(RedisResult result);
}

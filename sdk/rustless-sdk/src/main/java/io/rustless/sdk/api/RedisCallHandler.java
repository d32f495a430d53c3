package io.rustless.sdk.api;

/**
 * Receives the reply to one Redis command: {@code status} 0 means Redis answered and {@code resp}
 * holds its RESP-encoded reply; anything else means the call failed (no reply).
 */
@FunctionalInterface
public interface RedisCallHandler {
  void onResponse(int status, byte[] resp);
}

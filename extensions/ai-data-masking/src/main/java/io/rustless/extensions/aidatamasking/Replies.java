package io.rustless.extensions.aidatamasking;

import io.rustless.sdk.higress.json.JsonString;

/** The bodies that replace blocked content, byte for byte as Higress's plugin writes them. */
final class Replies {
  static final String SSE_CONTENT_TYPE = "text/event-stream;charset=UTF-8";

  private Replies() {}

  /** An OpenAI chat completion whose answer is {@code message}. */
  static String openAi(String message) {
    StringBuilder sb =
        new StringBuilder(
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
    JsonString.quote(message, sb);
    return sb.append("}}],\"usage\":{}}").toString();
  }

  /** One server-sent event of an OpenAI chat stream whose delta is {@code message}. */
  static String openAiStream(String message) {
    StringBuilder sb =
        new StringBuilder(
            "data:{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":");
    JsonString.quote(message, sb);
    return sb.append("}}],\"usage\":{}}\n\n").toString();
  }
}

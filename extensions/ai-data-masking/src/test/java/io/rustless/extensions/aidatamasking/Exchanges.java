package io.rustless.extensions.aidatamasking;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.TestHost;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Request/response helpers shared by the scenario tests. */
final class Exchanges {
  /** Higress's own e2e configuration for the plugin (test/e2e/…/rust-wasm-ai-data-masking.yaml). */
  static final String E2E_CONFIG =
      """
      {"system_deny": true, "deny_openai": true, "deny_jsonpath": ["$.test[*].test"],
       "deny_raw": true, "deny_code": 200,
       "deny_message": "提问或回答中包含敏感词，已被屏蔽",
       "deny_raw_message": "{\\"errmsg\\":\\"提问或回答中包含敏感词，已被屏蔽\\"}",
       "deny_content_type": "application/json",
       "deny_words": ["costom_word1", "costom\\"word"],
       "replace_roles": [
         {"regex": "%{EMAILLOCALPART}@%{HOSTNAME:domain}", "type": "replace", "restore": true,
          "value": "****@$domain"},
         {"regex": "%{IP}", "type": "replace", "restore": true, "value": "***.***.***.***"},
         {"regex": "sk-[0-9a-zA-Z]*", "restore": true, "type": "hash"}]}
      """;

  private Exchanges() {}

  static HeaderMap post() {
    return HeaderMap.of(
        ":method",
        "POST",
        ":path",
        "/v1/chat/completions",
        ":authority",
        "llm.example.com",
        "content-type",
        "application/json",
        "content-length",
        "100",
        "accept-encoding",
        "gzip, br");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Sends a request with {@code body}; returns the local reply if the plugin blocked it. */
  static Optional<LocalResponse> request(TestHost host, String body) {
    return request(host, utf8(body));
  }

  static Optional<LocalResponse> request(TestHost host, byte[] body) {
    assertThat(host.callOnHttpRequestHeaders(post(), false)).isEqualTo(HeaderAction.STOP_ITERATION);
    DataAction a = host.callOnHttpRequestBody(body, true);
    Optional<LocalResponse> reply = host.getLocalResponse();
    if (reply.isPresent()) {
      assertThat(a).isEqualTo(DataAction.STOP_ITERATION_AND_BUFFER);
    } else {
      assertThat(a).isEqualTo(DataAction.CONTINUE);
    }
    return reply;
  }

  /** What went upstream after {@link #request}. */
  static String forwarded(TestHost host) {
    return text(host.getForwardedRequestBody());
  }

  /** Sends a complete (not streamed) JSON response; returns what the client receives. */
  static String jsonResponse(TestHost host, String body) {
    host.callOnHttpResponseHeaders(
        HeaderMap.of(":status", "200", "content-type", "application/json", "content-length", "9"),
        false);
    host.callOnHttpResponseBody(utf8(body), true);
    return text(host.getForwardedResponseBody());
  }

  /** Sends a server-sent-events response in the given chunks; returns what the client receives. */
  static String sseResponse(TestHost host, byte[]... chunks) {
    host.callOnHttpResponseHeaders(
        HeaderMap.of(":status", "200", "content-type", "text/event-stream"), false);
    for (int i = 0; i < chunks.length; i++) {
      assertThat(host.callOnHttpResponseBody(chunks[i], i == chunks.length - 1))
          .isEqualTo(DataAction.CONTINUE);
    }
    return text(host.getForwardedResponseBody());
  }

  /** {@code data} split into chunks of {@code size} bytes (the last may be shorter). */
  static byte[][] chunks(byte[] data, int size) {
    int n = Math.max(1, (data.length + size - 1) / size);
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      int from = i * size;
      out[i] = java.util.Arrays.copyOfRange(data, from, Math.min(data.length, from + size));
    }
    return out;
  }

  /** An OpenAI chat request with one user message. */
  static String chat(String content, boolean stream) {
    StringBuilder sb =
        new StringBuilder("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":");
    io.rustless.sdk.higress.json.JsonString.quote(content, sb);
    return sb.append("}]").append(stream ? ",\"stream\":true" : "").append('}').toString();
  }

  /** An OpenAI chat completion whose answer is {@code content}. */
  static String answer(String content) {
    StringBuilder sb =
        new StringBuilder(
            "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
    io.rustless.sdk.higress.json.JsonString.quote(content, sb);
    return sb.append("},\"finish_reason\":\"stop\"}],\"usage\":{\"total_tokens\":3}}").toString();
  }

  /** An OpenAI stream: one event per delta, a finishing event with usage, then [DONE]. */
  static String stream(String... deltas) {
    StringBuilder sb = new StringBuilder();
    for (String d : deltas) {
      sb.append("data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":");
      io.rustless.sdk.higress.json.JsonString.quote(d, sb);
      sb.append("},\"finish_reason\":null}]}\n\n");
    }
    sb.append(
        "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}\n\n");
    sb.append("data: [DONE]\n\n");
    return sb.toString();
  }

  /** The concatenated {@code delta.content} of an OpenAI stream as the client sees it. */
  static String streamedText(String sse) {
    return streamedField(sse, "content");
  }

  static String streamedField(String sse, String field) {
    StringBuilder sb = new StringBuilder();
    io.rustless.sdk.higress.json.JsonPath p =
        io.rustless.sdk.higress.json.JsonPath.compile("$.choices[*].delta." + field);
    for (String event : sse.split("\n\n")) {
      if (!event.startsWith("data:") || event.contains("[DONE]")) {
        continue;
      }
      String data = event.substring(5).trim();
      for (io.rustless.sdk.higress.json.JsonValue v :
          p.read(io.rustless.sdk.higress.json.Json.parse(data))) {
        if (v.isString()) {
          sb.append(v.asString());
        }
      }
    }
    return sb.toString();
  }
}

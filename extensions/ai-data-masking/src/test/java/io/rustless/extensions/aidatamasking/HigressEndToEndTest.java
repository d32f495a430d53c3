package io.rustless.extensions.aidatamasking;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;

/**
 * Higress's end-to-end test of its Rust ai-data-masking, case by case: {@code
 * test/e2e/conformance/tests/rust-wasm-ai-data-masking.go} lines 66–187 (alibaba/higress @
 * 4e0d6914), with the plugin's WasmPlugin of {@code rust-wasm-ai-data-masking.yaml} lines 123–154.
 * There, Go's {@code custom-response} plugin (same yaml, lines 44–121) answers each domain with a
 * canned upstream body after ai-data-masking has seen the request; here the test host delivers that
 * body as the upstream response. Each case checks what the client receives, as the e2e's {@code
 * CompareTargetResponse} does: the body and {@code Content-Type: application/json}.
 */
@RustlessTest(plugin = AiDataMaskingPlugin.class)
class HigressEndToEndTest {
  /** rust-wasm-ai-data-masking.yaml lines 130–153, as JSON. */
  static final String CONFIG =
      """
      {"system_deny": true,
       "deny_openai": true,
       "deny_jsonpath": ["$.test[*].test"],
       "deny_raw": true,
       "deny_code": 200,
       "deny_message": "提问或回答中包含敏感词，已被屏蔽",
       "deny_raw_message": "{\\"errmsg\\":\\"提问或回答中包含敏感词，已被屏蔽\\"}",
       "deny_content_type": "application/json",
       "deny_words": ["costom_word1"],
       "replace_roles": [
         {"regex": "%{EMAILLOCALPART}@%{HOSTNAME:domain}", "type": "replace", "restore": true,
          "value": "****@$domain"},
         {"regex": "%{IP}", "type": "replace", "restore": true, "value": "***.***.***.***"},
         {"regex": "sk-[0-9a-zA-Z]*", "restore": true, "type": "hash"}]}
      """;

  /** SHA-256 of {@code sk-12345}, as the canned answers carry it. */
  private static final String KEY_HASH =
      "c11e7177eb60c80cf983ddf8ca98f2dc1272d4c612204ce9bedd2460b18939cc";

  /** The masked text of the canned answers (IP, key, mail). */
  private static final String MASKED = "***.***.***.*** " + KEY_HASH + " ****@gmail.com";

  /** The requests' text masked, in their order (IP, mail, key). */
  private static final String MASKED_REQUEST = "***.***.***.*** ****@gmail.com " + KEY_HASH;

  private static String chat(String content) {
    return "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + content
        + "\"}}],\"usage\":{}}";
  }

  private static final String DENIED_CHAT = chat("提问或回答中包含敏感词，已被屏蔽");
  private static final String DENIED_RAW = "{\"errmsg\":\"提问或回答中包含敏感词，已被屏蔽\"}";

  /** What custom-response answers per domain (rust-wasm-ai-data-masking.yaml lines 54–120). */
  private static final Map<String, String> UPSTREAM =
      Map.ofEntries(
          Map.entry("ok.openai.com", chat("ok")),
          Map.entry("replace.openai.com", chat(MASKED)),
          Map.entry("system_deny.openai.com", chat("fuck")),
          Map.entry("costom_word1.openai.com", chat("costom_word1")),
          Map.entry("costom_word.openai.com", chat("costom_word")),
          Map.entry("ok.raw.com", "{\"res\":\"ok\"}"),
          Map.entry("replace.raw.com", "{\"res\":\"" + MASKED + "\"}"),
          Map.entry("system_deny.raw.com", "{\"res\":\"fuck\"}"),
          Map.entry(
              "system_no_deny.raw.com", "{\"res\":\"工信处女干事每月经过下属科室都要亲口交代24口交换机等技术性器件的安装工作\"}"),
          Map.entry("costom_word1.raw.com", "{\"res\":\"costom_word1\"}"),
          Map.entry("costom_word.raw.com", "{\"res\":\"costom_word\"}"));

  /**
   * One e2e assertion ({@code gen_assertion(host, req_is_json, req_body, res_body)}).
   *
   * @param source the line of rust-wasm-ai-data-masking.go
   * @param host the request's Host
   * @param json true for {@code application/json}, false for {@code text/plain}
   * @param request the request body
   * @param response what the client must receive
   */
  record Case(String source, String host, boolean json, String request, String response) {
    @Override
    public String toString() {
      return "rust-wasm-ai-data-masking.go:" + source + " " + host + " " + request;
    }
  }

  static final List<Case> CASES =
      List.of(
          // openai
          new Case(
              "66",
              "replace.openai.com",
              true,
              "{\"messages\":[{\"role\":\"user\",\"content\":\"127.0.0.1 admin@gmail.com sk-12345\"}]}",
              chat("127.0.0.1 sk-12345 admin@gmail.com")),
          new Case(
              "72",
              "replace.openai.com",
              true,
              "{\"messages\":[{\"role\":\"user\",\"content\":\"192.168.0.1 root@gmail.com sk-12345\"}]}",
              chat("192.168.0.1 sk-12345 root@gmail.com")),
          new Case(
              "78",
              "ok.openai.com",
              true,
              "{\"messages\":[{\"role\":\"user\",\"content\":\"fuck\"}]}",
              DENIED_CHAT),
          new Case(
              "84",
              "ok.openai.com",
              true,
              "{\"messages\":[{\"role\":\"user\",\"content\":\"costom_word1\"}]}",
              DENIED_CHAT),
          new Case(
              "90",
              "ok.openai.com",
              true,
              "{\"messages\":[{\"role\":\"user\",\"content\":\"costom_word\"}]}",
              chat("ok")),
          new Case(
              "97",
              "system_deny.openai.com",
              true,
              "{\"messages\":[{\"role\":\"user\",\"content\":\"test\"}]}",
              DENIED_CHAT),
          new Case(
              "103",
              "costom_word1.openai.com",
              true,
              "{\"messages\":[{\"role\":\"user\",\"content\":\"test\"}]}",
              DENIED_CHAT),
          new Case(
              "109",
              "costom_word.openai.com",
              true,
              "{\"messages\":[{\"role\":\"user\",\"content\":\"test\"}]}",
              chat("costom_word")),
          // raw
          new Case(
              "117",
              "replace.raw.com",
              false,
              "127.0.0.1 admin@gmail.com sk-12345",
              "{\"res\":\"127.0.0.1 sk-12345 admin@gmail.com\"}"),
          new Case(
              "124",
              "replace.raw.com",
              false,
              "192.168.0.1 root@gmail.com sk-12345",
              "{\"res\":\"192.168.0.1 sk-12345 root@gmail.com\"}"),
          new Case("131", "ok.raw.com", false, "fuck", DENIED_RAW),
          new Case("137", "ok.raw.com", false, "costom_word1", DENIED_RAW),
          new Case("143", "ok.raw.com", false, "costom_word", "{\"res\":\"ok\"}"),
          new Case("150", "system_deny.raw.com", false, "test", DENIED_RAW),
          new Case(
              "156",
              "system_no_deny.raw.com",
              false,
              "test",
              "{\"res\":\"工信处女干事每月经过下属科室都要亲口交代24口交换机等技术性器件的安装工作\"}"),
          new Case("162", "costom_word1.raw.com", false, "test", DENIED_RAW),
          new Case("168", "costom_word.raw.com", false, "test", "{\"res\":\"costom_word\"}"),
          // jsonpath
          new Case(
              "176",
              "replace.raw.com",
              true,
              "{\"test\":[{\"test\":\"127.0.0.1 admin@gmail.com sk-12345\"}]}",
              "{\"res\":\"127.0.0.1 sk-12345 admin@gmail.com\"}"),
          new Case(
              "182",
              "replace.raw.com",
              true,
              "{\"test\":[{\"test\":\"test\", \"test1\":\"127.0.0.1 admin@gmail.com sk-12345\"}]}",
              "{\"res\":\"" + MASKED + "\"}"));

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** What the client receives for {@code c}: the plugin's own reply, or the upstream's answer. */
  private static Received exchange(TestHost host, Case c) {
    byte[] body = utf8(c.request());
    host.callOnHttpRequestHeaders(
        HeaderMap.of(
            ":method",
            "POST",
            ":path",
            "/",
            ":authority",
            c.host(),
            "content-type",
            c.json() ? "application/json" : "text/plain",
            "content-length",
            Integer.toString(body.length)),
        false);
    host.callOnHttpRequestBody(body, true);
    Optional<LocalResponse> reply = host.getLocalResponse();
    if (reply.isPresent()) {
      return new Received(
          reply.get().statusCode(),
          reply.get().headers().get("content-type").orElse(null),
          reply.get().bodyString(),
          null);
    }
    String forwarded = new String(host.getForwardedRequestBody(), StandardCharsets.UTF_8);
    byte[] answer = utf8(UPSTREAM.get(c.host()));
    host.callOnHttpResponseHeaders(
        HeaderMap.of(
            ":status",
            "200",
            "content-type",
            "application/json",
            "content-length",
            Integer.toString(answer.length)),
        false);
    host.callOnHttpResponseBody(answer, true);
    return new Received(
        Integer.parseInt(host.getResponseHeaders().get(":status").orElse("0")),
        host.getResponseHeaders().get("content-type").orElse(null),
        new String(host.getForwardedResponseBody(), StandardCharsets.UTF_8),
        forwarded);
  }

  record Received(int status, String contentType, String body, String forwardedRequest) {}

  @DualModeTest
  void everyCaseOfHigressEndToEndTest(PluginHarness plugin) {
    SoftAssertions soft = new SoftAssertions();
    for (Case c : CASES) {
      try (TestHost host = plugin.start(CONFIG)) {
        assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
        Received r = exchange(host, c);
        soft.assertThat(r.body()).as("%s: body", c).isEqualTo(c.response());
        soft.assertThat(r.contentType()).as("%s: content-type", c).isEqualTo("application/json");
        soft.assertThat(r.status()).as("%s: status", c).isEqualTo(200);
        soft.assertThat(host.getPluginErrors()).as("%s: errors", c).isEmpty();
      }
    }
    soft.assertAll();
  }

  /**
   * The canned answers of the replace domains assume the masks the plugin writes upstream: the e2e
   * checks only the answer, this checks the request that produced it (cases 66, 117, 176).
   */
  @DualModeTest
  void theUpstreamSeesTheMasksTheCannedAnswersCarry(PluginHarness plugin) {
    String[][] expected = {
      {"66", "{\"messages\":[{\"role\":\"user\",\"content\":\"" + MASKED_REQUEST + "\"}]}"},
      {"117", MASKED_REQUEST},
      {"176", "{\"test\":[{\"test\":\"" + MASKED_REQUEST + "\"}]}"},
      {"182", CASES.get(18).request()},
    };
    for (String[] e : expected) {
      Case c = CASES.stream().filter(x -> x.source().equals(e[0])).findFirst().orElseThrow();
      try (TestHost host = plugin.start(CONFIG)) {
        assertThat(exchange(host, c).forwardedRequest()).as(c.toString()).isEqualTo(e[1]);
      }
    }
  }
}

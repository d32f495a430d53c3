package io.rustless.extensions.aidatamasking;

import static io.rustless.extensions.aidatamasking.Exchanges.E2E_CONFIG;
import static io.rustless.extensions.aidatamasking.Exchanges.answer;
import static io.rustless.extensions.aidatamasking.Exchanges.chat;
import static io.rustless.extensions.aidatamasking.Exchanges.chunks;
import static io.rustless.extensions.aidatamasking.Exchanges.jsonResponse;
import static io.rustless.extensions.aidatamasking.Exchanges.request;
import static io.rustless.extensions.aidatamasking.Exchanges.sseResponse;
import static io.rustless.extensions.aidatamasking.Exchanges.stream;
import static io.rustless.extensions.aidatamasking.Exchanges.streamedField;
import static io.rustless.extensions.aidatamasking.Exchanges.streamedText;
import static io.rustless.extensions.aidatamasking.Exchanges.text;
import static io.rustless.extensions.aidatamasking.Exchanges.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;

/** The response side: restore, deny, complete and streamed answers, masks split across chunks. */
@RustlessTest(plugin = AiDataMaskingPlugin.class)
class AiDataMaskingResponseTest {
  private static final String QUESTION = "mail admin@gmail.com at 127.0.0.1 using sk-12345";
  private static final String KEY_HASH = AiDataMaskingRequestTest.sha256("sk-12345");
  private static final String MASKED = "mail ****@gmail.com at ***.***.***.*** using " + KEY_HASH;

  private static void ask(TestHost host, boolean stream) {
    assertThat(request(host, chat(QUESTION, stream))).isEmpty();
    assertThat(Exchanges.forwarded(host)).isEqualTo(chat(MASKED, stream));
  }

  @DualModeTest
  void completeAnswerGetsTheOriginalsBack(PluginHarness plugin) {
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      ask(host, false);
      String out = jsonResponse(host, answer("Sent to ****@gmail.com (" + KEY_HASH + ")"));
      assertThat(out).isEqualTo(answer("Sent to admin@gmail.com (sk-12345)"));
      assertThat(host.getResponseHeaders().get("content-length")).isEmpty();
      assertThat(host.getResponseHeaders().get("content-type")).contains("application/json");
    }
  }

  @DualModeTest
  void ambiguousMasksAreNotRestored(PluginHarness plugin) {
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      assertThat(request(host, chat("from 10.0.0.1 and 10.0.0.2, again 10.0.0.1", false)))
          .isEmpty();
      String out = jsonResponse(host, answer("***.***.***.*** twice"));
      assertThat(out).isEqualTo(answer("***.***.***.*** twice"));
      host.completeHttp();
      // the same original masked twice is not ambiguous
      assertThat(request(host, chat("from 10.0.0.1, again 10.0.0.1", false))).isEmpty();
      assertThat(jsonResponse(host, answer("***.***.***.***"))).isEqualTo(answer("10.0.0.1"));
    }
  }

  @DualModeTest
  void masksWithoutRestoreStayMasked(PluginHarness plugin) {
    String config =
        "{\"replace_roles\": [{\"regex\": \"%{MOBILE}\", \"type\": \"replace\", \"value\": \"***\"}]}";
    try (TestHost host = plugin.start(config)) {
      assertThat(request(host, chat("call 13812345678", false))).isEmpty();
      assertThat(Exchanges.forwarded(host)).isEqualTo(chat("call ***", false));
      HeaderAction a =
          host.callOnHttpResponseHeaders(
              HeaderMap.of(":status", "200", "content-type", "application/json"), false);
      assertThat(a).isEqualTo(HeaderAction.CONTINUE); // nothing to do: not even buffered
      host.callOnHttpResponseBody(utf8(answer("***")), true);
      assertThat(text(host.getForwardedResponseBody())).isEqualTo(answer("***"));
    }
  }

  @DualModeTest
  void denyWordInACompleteAnswerReplacesIt(PluginHarness plugin) {
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      ask(host, false);
      String out = jsonResponse(host, answer("well, fuck that"));
      assertThat(out)
          .isEqualTo(
              "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"提问或回答中包含敏感词，已被屏蔽\"}}],\"usage\":{}}");
      assertThat(host.getResponseHeaders().get(":status")).contains("200");
    }
  }

  @DualModeTest
  void rawAnswersAreCheckedAndRestoredWithDenyRaw(PluginHarness plugin) {
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      assertThat(request(host, "plain 127.0.0.1 text")).isEmpty();
      assertThat(Exchanges.forwarded(host)).isEqualTo("plain ***.***.***.*** text");
      host.callOnHttpResponseHeaders(
          HeaderMap.of(":status", "200", "content-type", "text/plain"), false);
      host.callOnHttpResponseBody(utf8("at ***.***.***.***"), true);
      assertThat(text(host.getForwardedResponseBody())).isEqualTo("at 127.0.0.1");
      host.completeHttp();
      assertThat(request(host, "hello")).isEmpty();
      host.callOnHttpResponseHeaders(
          HeaderMap.of(":status", "200", "content-type", "text/plain"), false);
      host.callOnHttpResponseBody(utf8("costom_word1"), true);
      assertThat(text(host.getForwardedResponseBody()))
          .isEqualTo("{\"errmsg\":\"提问或回答中包含敏感词，已被屏蔽\"}");
      assertThat(host.getResponseHeaders().get("content-type")).contains("application/json");
    }
  }

  @DualModeTest
  void streamedAnswerIsRestoredEvenWhenEveryByteIsItsOwnChunk(PluginHarness plugin) {
    String sse =
        stream(
            "Sent to ***",
            "*@gma",
            "il.com, key ",
            KEY_HASH.substring(0, 10),
            KEY_HASH.substring(10),
            " from ***.***.",
            "***.*** 好");
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      ask(host, true);
      String out = sseResponse(host, chunks(utf8(sse), 1));
      assertThat(streamedText(out))
          .isEqualTo("Sent to admin@gmail.com, key sk-12345 from 127.0.0.1 好");
      assertThat(out).endsWith("data: [DONE]\n\n");
      assertThat(out)
          .contains("\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}");
      assertThat(out).doesNotContain("***");
      assertThat(host.getPluginErrors()).isEmpty();
    }
  }

  @DualModeTest
  void streamedAnswerInLargeChunksGivesTheSameText(PluginHarness plugin) {
    String sse = stream("a ****@gmail.com b ", "***.***.***.***", " c");
    for (int size : new int[] {7, 64, 100_000}) {
      try (TestHost host = plugin.start(E2E_CONFIG)) {
        ask(host, true);
        String out = sseResponse(host, chunks(utf8(sse), size));
        assertThat(streamedText(out))
            .as("chunks of %d", size)
            .isEqualTo("a admin@gmail.com b 127.0.0.1 c");
      }
    }
  }

  @DualModeTest
  void denyWordSplitAcrossChunksEndsTheStreamWithoutLeakingIt(PluginHarness plugin) {
    String sse = stream("Fine. Then ", "cost", "om_wo", "rd1 is the answer", " and more");
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      ask(host, true);
      String out = sseResponse(host, chunks(utf8(sse), 1));
      assertThat(out).doesNotContain("cost").doesNotContain("answer");
      assertThat(streamedText(out)).startsWith("Fine. Then").endsWith("提问或回答中包含敏感词，已被屏蔽");
      assertThat(out)
          .contains(
              "data:{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"提问或回答中包含敏感词，已被屏蔽\"}}],\"usage\":{}}\n\n")
          .contains(
              "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}\n\n")
          .endsWith("data: [DONE]\n\n");
    }
  }

  @DualModeTest
  void wordPrefixAtTheEndOfAChunkIsNotADenyWordOnceTheWordGoesOn(PluginHarness plugin) {
    String sse = stream("a costom_word1", "2 is fine");
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      ask(host, true);
      assertThat(streamedText(sseResponse(host, chunks(utf8(sse), 3))))
          .isEqualTo("a costom_word12 is fine");
    }
  }

  @DualModeTest
  void reasoningContentIsRestoredAndFlushedWhenTheAnswerStarts(PluginHarness plugin) {
    String sse =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"user ***.***\",\"content\":null}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\".***.***\",\"content\":null}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":null,\"content\":\"ok ****@gmail.com\"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: [DONE]\n\n";
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      ask(host, true);
      String out = sseResponse(host, chunks(utf8(sse), 5));
      assertThat(streamedField(out, "reasoning_content")).isEqualTo("user 127.0.0.1");
      assertThat(streamedText(out)).isEqualTo("ok admin@gmail.com");
      int reasoningEnd = out.lastIndexOf("127.0.0.1");
      assertThat(reasoningEnd).isLessThan(out.indexOf("admin@gmail.com"));
    }
  }

  @DualModeTest
  void severalChoicesKeepTheirOwnWindows(PluginHarness plugin) {
    String sse =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A ***.***\"}},{\"index\":1,\"delta\":{\"content\":\"B ****@gm\"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"ail.com\"}},{\"index\":0,\"delta\":{\"content\":\".***.***\"}}]}\n\n"
            + "data: [DONE]\n\n";
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      ask(host, true);
      String out = sseResponse(host, chunks(utf8(sse), 9));
      StringBuilder a = new StringBuilder();
      StringBuilder b = new StringBuilder();
      for (String event : out.split("\n\n")) {
        if (event.startsWith("data: {")) {
          var choices =
              io.rustless.sdk.higress.json.Json.parse(event.substring(6))
                  .asObject()
                  .get("choices")
                  .orElseThrow()
                  .asArray();
          for (var c : choices.values()) {
            var o = c.asObject();
            String t =
                o.get("delta")
                    .orElseThrow()
                    .asObject()
                    .get("content")
                    .map(v -> v.isString() ? v.asString() : "")
                    .orElse("");
            (o.get("index").orElseThrow().asNumber().intValue() == 0 ? a : b).append(t);
          }
        }
      }
      assertThat(a.toString()).isEqualTo("A 127.0.0.1");
      assertThat(b.toString()).isEqualTo("B admin@gmail.com");
      assertThat(out).endsWith("data: [DONE]\n\n");
    }
  }

  @DualModeTest
  void eventsThatAreNotChatChunksPassUnchanged(PluginHarness plugin) {
    String sse =
        ": keep-alive\n\nevent: ping\ndata: not json\n\nid: 7\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x ***.***.***.***\"}}]}\n\ndata: [DONE]\n\n";
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      ask(host, true);
      String out = sseResponse(host, utf8(sse));
      assertThat(out)
          .isEqualTo(
              ": keep-alive\n\nevent: ping\ndata: not json\n\nid: 7\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"}}]}\n\n"
                  + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x 127.0.0.1\"},\"finish_reason\":null}]}\n\n"
                  + "data: [DONE]\n\n");
    }
  }

  @DualModeTest
  void aStreamWithoutDoneStillDeliversItsTail(PluginHarness plugin) {
    String sse =
        "data: {\"id\":\"z\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"to ****@gmail.com\"}}],\"usage\":{\"total_tokens\":1}}\n\n";
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      ask(host, true);
      String out = sseResponse(host, chunks(utf8(sse), 10));
      assertThat(streamedText(out)).isEqualTo("to admin@gmail.com");
      assertThat(out).doesNotContain("[DONE]");
      assertThat(out)
          .contains(
              "{\"id\":\"z\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"to admin@gmail.com\"},\"finish_reason\":null}]}");
    }
  }

  @DualModeTest
  void streamWithoutContentTypeIsRecognisedByItsFirstBytes(PluginHarness plugin) {
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      ask(host, true);
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "200"), false);
      for (byte[] c : chunks(utf8(stream("x ***.***.***.***")), 4)) {
        assertThat(host.callOnHttpResponseBody(c, false)).isEqualTo(DataAction.CONTINUE);
      }
      host.callOnHttpResponseBody(new byte[0], true);
      assertThat(streamedText(text(host.getForwardedResponseBody()))).isEqualTo("x 127.0.0.1");
    }
  }

  @DualModeTest
  void rawStreamIsRestoredAndCutAtADenyWord(PluginHarness plugin) {
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      assertThat(request(host, "raw 127.0.0.1 with ü")).isEmpty();
      host.callOnHttpResponseHeaders(
          HeaderMap.of(":status", "200", "content-type", "text/event-stream"), false);
      byte[] body = utf8("you said ***.***.***.*** ü and then costom_word1 and more");
      byte[][] parts = chunks(body, 1);
      for (int i = 0; i < parts.length; i++) {
        host.callOnHttpResponseBody(parts[i], i == parts.length - 1);
      }
      assertThat(text(host.getForwardedResponseBody())).isEqualTo("you said 127.0.0.1 ü and then ");
    }
  }

  @DualModeTest
  void responsesOfRequestsThatAreNotCheckedPassUntouched(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"deny_words\": [\"bad\"]}")) {
      assertThat(request(host, "not json, no deny_raw: bad")).isEmpty();
      assertThat(
              host.callOnHttpResponseHeaders(
                  HeaderMap.of(":status", "200", "content-type", "text/plain"), false))
          .isEqualTo(HeaderAction.CONTINUE);
      host.callOnHttpResponseBody(utf8("bad"), true);
      assertThat(text(host.getForwardedResponseBody())).isEqualTo("bad");
    }
  }

  @DualModeTest
  void anAnswerThatIsNotJsonIsCheckedAsTextOnlyWithDenyRaw(PluginHarness plugin) {
    try (TestHost host = plugin.start(E2E_CONFIG)) { // deny_raw: true
      ask(host, false);
      assertThat(jsonResponse(host, "{\"choices\": [ ***.***.***.*** "))
          .isEqualTo("{\"choices\": [ 127.0.0.1 ");
      host.completeHttp();
      ask(host, false);
      assertThat(jsonResponse(host, "oops costom_word1"))
          .isEqualTo(
              "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"提问或回答中包含敏感词，已被屏蔽\"}}],\"usage\":{}}");
    }
    String noRaw = E2E_CONFIG.replace("\"deny_raw\": true", "\"deny_raw\": false");
    try (TestHost host = plugin.start(noRaw)) {
      ask(host, false);
      assertThat(jsonResponse(host, "oops costom_word1 ***.***.***.***"))
          .isEqualTo("oops costom_word1 ***.***.***.***");
    }
  }

  @DualModeTest
  void encodedAnswersAreLeftAlone(PluginHarness plugin) {
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      ask(host, false);
      host.callOnHttpResponseHeaders(
          HeaderMap.of(
              ":status", "200", "content-type", "application/json", "content-encoding", "gzip"),
          false);
      host.callOnHttpResponseBody(new byte[] {31, -117, 8, 0}, true);
      assertThat(host.getForwardedResponseBody()).containsExactly(31, -117, 8, 0);
    }
  }
}

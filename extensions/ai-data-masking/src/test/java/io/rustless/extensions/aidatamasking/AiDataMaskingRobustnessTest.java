package io.rustless.extensions.aidatamasking;

import static io.rustless.extensions.aidatamasking.Exchanges.E2E_CONFIG;
import static io.rustless.extensions.aidatamasking.Exchanges.chat;
import static io.rustless.extensions.aidatamasking.Exchanges.chunks;
import static io.rustless.extensions.aidatamasking.Exchanges.jsonResponse;
import static io.rustless.extensions.aidatamasking.Exchanges.request;
import static io.rustless.extensions.aidatamasking.Exchanges.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input never traps: empty, malformed, non-UTF-8, huge and random bodies; bad configuration.
 */
@RustlessTest(plugin = AiDataMaskingPlugin.class)
class AiDataMaskingRobustnessTest {

  @DualModeTest
  void emptyBodiesPass(PluginHarness plugin) {
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      assertThat(request(host, new byte[0])).isEmpty();
      assertThat(host.getForwardedRequestBody()).isEmpty();
      host.callOnHttpResponseHeaders(HeaderMap.of(":status", "204"), true);
      assertThat(host.getPluginErrors()).isEmpty();
    }
  }

  @DualModeTest
  void malformedJsonPassesUnlessDenyRawChecksItAsText(PluginHarness plugin) {
    String broken = "{\"messages\":[{\"content\":\"costom_word1 at 1.2.3.4\"";
    try (TestHost host = plugin.start("{\"deny_words\": [\"costom_word1\"]}")) {
      assertThat(request(host, broken)).isEmpty();
      assertThat(Exchanges.forwarded(host)).isEqualTo(broken);
    }
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      LocalResponse reply = request(host, broken).orElseThrow();
      assertThat(reply.bodyString()).isEqualTo("{\"errmsg\":\"提问或回答中包含敏感词，已被屏蔽\"}");
      host.completeHttp();
      assertThat(request(host, broken.replace("costom_word1 ", ""))).isEmpty();
      assertThat(Exchanges.forwarded(host))
          .isEqualTo("{\"messages\":[{\"content\":\"at ***.***.***.***\"");
    }
  }

  @DualModeTest
  void bodiesThatAreNotUtf8AreStillChecked(PluginHarness plugin) {
    byte[] bad = {
      'x', (byte) 0xFF, 'c', 'o', 's', 't', 'o', 'm', '_', 'w', 'o', 'r', 'd', '1', (byte) 0xC3
    };
    byte[] clean = {'x', (byte) 0xFF, 'y', (byte) 0xC3, '('};
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      assertThat(request(host, bad)).isPresent();
      host.completeHttp();
      assertThat(request(host, clean)).isEmpty();
      assertThat(host.getForwardedRequestBody()).isEqualTo(clean); // nothing masked: bytes kept
      host.completeHttp();
      java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
      json.writeBytes(utf8("{\"messages\":[{\"content\":\"a"));
      json.write(0xFE);
      json.writeBytes(utf8("b 10.0.0.1\"}]}"));
      assertThat(request(host, json.toByteArray())).isEmpty();
      assertThat(Exchanges.forwarded(host))
          .isEqualTo("{\"messages\":[{\"content\":\"a\uFFFDb ***.***.***.***\"}]}");
    }
  }

  @DualModeTest
  void deeplyNestedJsonIsNotAChatRequest(PluginHarness plugin) {
    String deep = "{\"messages\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    try (TestHost host = plugin.start("{\"deny_words\": [\"x\"]}")) {
      assertThat(request(host, deep)).isEmpty();
      assertThat(Exchanges.forwarded(host)).isEqualTo(deep);
    }
  }

  @DualModeTest
  void hugeBodiesAreInspectedOrRefusedWithoutTrapping(PluginHarness plugin) {
    byte[] notJson = new byte[32 << 20];
    Arrays.fill(notJson, (byte) 'a');
    try (TestHost host = plugin.start("{\"deny_words\": [\"costom_word1\"]}")) {
      assertThat(request(host, notJson)).isEmpty(); // not JSON, no deny_raw: nothing to read
      assertThat(host.getForwardedRequestBody()).hasSize(32 << 20);
    }
    String content = "z".repeat(32 << 20);
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      var reply = request(host, chat(content, false));
      if (plugin.mode().runsModule()) {
        // a 64 MiB heap cannot hold a 32 MiB message decoded and masked: refused, logged
        assertThat(reply.orElseThrow().statusCode()).isEqualTo(413);
        assertThat(host.getLogs(LogLevel.WARN).get(0)).contains("too large to inspect");
      } else {
        assertThat(reply).isEmpty();
      }
      host.completeHttp();
      assertThat(request(host, chat("small", false))).isEmpty(); // the instance lives on
      host.completeHttp();
      assertThat(request(host, "{}")).isEmpty();
      host.callOnHttpResponseHeaders(
          HeaderMap.of(":status", "200", "content-type", "text/plain"), false);
      host.callOnHttpResponseBody(utf8(content), true);
      String out = Exchanges.text(host.getForwardedResponseBody());
      if (plugin.mode().runsModule()) {
        assertThat(out).isEqualTo("{\"errmsg\":\"提问或回答中包含敏感词，已被屏蔽\"}");
      } else {
        assertThat(out).hasSize(32 << 20);
      }
    }
  }

  @DualModeTest
  void bodiesAroundTheHeapLimitAreMaskedOrRefusedNeverTrapped(PluginHarness plugin) {
    int[] mebibytes = {1, 2, 3, 4, 6, 8, 12};
    int refusedFrom = Integer.MAX_VALUE;
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      for (int mib : mebibytes) {
        String content = "x".repeat((mib << 20) - 20) + " at 10.0.0.1";
        var reply = request(host, chat(content, false));
        if (reply.isPresent()) {
          assertThat(reply.get().statusCode()).as("%d MiB", mib).isEqualTo(413);
          refusedFrom = Math.min(refusedFrom, mib);
        } else {
          assertThat(refusedFrom)
              .as("refused below, masked above at %d MiB", mib)
              .isGreaterThan(mib);
          String out = Exchanges.forwarded(host);
          assertThat(out).as("%d MiB", mib).endsWith(" at ***.***.***.***\"}]}");
          assertThat(out.length()).isEqualTo(chat(content, false).length() + 7);
        }
        host.completeHttp();
        // and the same size as a raw body, and as a complete answer to restore
        assertThat(request(host, "raw " + content)).isNotNull();
        host.completeHttp();
        assertThat(request(host, chat("at 10.0.0.1", false))).isEmpty();
        String answer = Exchanges.answer(content.replace("10.0.0.1", "***.***.***.***"));
        String got = jsonResponse(host, answer);
        assertThat(got.equals(Exchanges.answer(content)) || got.contains("提问或回答中包含敏感词"))
            .as("%d MiB answer", mib)
            .isTrue();
        host.completeHttp();
      }
      assertThat(host.getPluginErrors()).isEmpty();
    }
    if (plugin.mode().runsModule()) {
      assertThat(refusedFrom).as("the 64 MiB heap inspects a few MiB of text").isBetween(3, 12);
    } else {
      assertThat(refusedFrom).isEqualTo(Integer.MAX_VALUE);
    }
  }

  @DualModeTest
  void randomBytesAnywhereNeverTrap(PluginHarness plugin) {
    Random r = new Random(11);
    try (TestHost host = plugin.start(E2E_CONFIG)) {
      for (int i = 0; i < 40; i++) {
        byte[] junk = new byte[r.nextInt(3000)];
        r.nextBytes(junk);
        if (i % 3 == 0) {
          byte[] prefix = utf8("{\"messages\":[{\"content\":\"");
          System.arraycopy(prefix, 0, junk, 0, Math.min(prefix.length, junk.length));
        }
        request(host, junk);
        String type = i % 2 == 0 ? "text/event-stream" : "application/json";
        host.callOnHttpResponseHeaders(HeaderMap.of(":status", "200", "content-type", type), false);
        byte[] answer = new byte[r.nextInt(3000)];
        r.nextBytes(answer);
        if (i % 4 == 0) {
          answer =
              utf8(
                  "data: {\"choices\":[{\"delta\":{\"content\":\""
                      + new String(answer, java.nio.charset.StandardCharsets.ISO_8859_1)
                      + "\n\ndata: [DONE]\n\n");
        }
        byte[][] parts = chunks(answer, 1 + r.nextInt(50));
        for (int k = 0; k < parts.length; k++) {
          host.callOnHttpResponseBody(parts[k], k == parts.length - 1);
        }
        host.completeHttp();
      }
      assertThat(host.getPluginErrors()).isEmpty();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"replace_roles\": [{\"regex\": \"(\", \"type\": \"hash\"}]}"
            + " | replace_roles[0].regex: invalid regular expression: error parsing regexp: missing closing ): `(`",
        "{\"replace_roles\": [{\"regex\": \"%{NOPE}\", \"type\": \"hash\"}]}"
            + " | replace_roles[0].regex: unknown grok pattern %{NOPE}",
        "{\"replace_roles\": [{\"regex\": \"x\", \"type\": \"mask\"}]}"
            + " | replace_roles[0].type: must be \"replace\" or \"hash\" but is \"mask\"",
        "{\"replace_roles\": [{\"regex\": \"x\"}]}"
            + " | replace_roles[0].type: required field is missing (expected a string)",
        "{\"replace_roles\": [\"x\"]} | replace_roles[0]: expected an object but got a string",
        "{\"deny_code\": 999} | deny_code: must be between 200 and 599 but is 999",
        "{\"deny_jsonpath\": [\"$.a\", \"a.b\"]}"
            + " | deny_jsonpath[1]: invalid JSONPath 'a.b' at offset 0: a path starts with '$'",
        "{\"deny_words\": \"bad\"} | deny_words: expected an array but got a string",
        "{\"deny_raw\": \"yes\"} | deny_raw: expected a boolean but got a string",
        "{\"_rules_\": [{\"_match_route_\": [\"r\"], \"deny_code\": 100}]}"
            + " | _rules_[0].deny_code: must be between 200 and 599 but is 100",
      })
  void badConfigurationFailsNamingTheField(String config, String message) {
    for (PluginHarness plugin :
        PluginHarness.enabled(
            AiDataMaskingPlugin.class, java.nio.file.Path.of("target/plugin.wasm"))) {
      try (TestHost host = plugin.start(config.trim())) {
        assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
        assertThat(host.getLogs(LogLevel.ERROR).get(0))
            .startsWith("[ai-data-masking] invalid configuration: " + message.trim());
      }
    }
  }

  @DualModeTest
  void unknownFieldsAreReportedButAccepted(PluginHarness plugin) {
    try (TestHost host = plugin.start("{\"deny_word\": [\"typo\"]}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
      assertThat(host.getLogs(LogLevel.WARN))
          .containsExactly(
              "[ai-data-masking] configuration field deny_word is not used by this plugin");
    }
  }
}

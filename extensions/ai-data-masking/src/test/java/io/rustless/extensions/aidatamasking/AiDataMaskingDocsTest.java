package io.rustless.extensions.aidatamasking;

import static io.rustless.extensions.aidatamasking.Exchanges.chat;
import static io.rustless.extensions.aidatamasking.Exchanges.forwarded;
import static io.rustless.extensions.aidatamasking.Exchanges.jsonResponse;
import static io.rustless.extensions.aidatamasking.Exchanges.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import io.rustless.testing.docs.ExtensionDocsTest;
import io.rustless.testing.docs.WasmPluginExample;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** README.md and spec.yaml say what the code does. */
@RustlessTest(plugin = AiDataMaskingPlugin.class)
class AiDataMaskingDocsTest extends ExtensionDocsTest {
  private static final String BLOCKED =
      "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"提问或回答中包含敏感词，已被屏蔽\"}}],\"usage\":{}}";

  AiDataMaskingDocsTest() {
    super(3, AiDataMaskingConfig::parse, "{}");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theReplaceRolesTableMatchesItsSchemaAndTheCode() {
    Map<String, Object> items =
        (Map<String, Object>) docs.configProperty("replace_roles").get("items");
    docs.assertReadmeTableMatchesSchema("| Field of `replace_roles` |", items, null);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> props =
        (Map<String, Map<String, Object>>) items.get("properties");
    MaskRule rule =
        MaskRule.parse(
            io.rustless.sdk.higress.config.ConfigReader.of(
                io.rustless.sdk.higress.json.Json.parse("{\"regex\": \"x\", \"type\": \"hash\"}")
                    .asObject()));
    assertThat(rule.restore()).isEqualTo(props.get("restore").get("default"));
    assertThat(rule.value()).isEqualTo(props.get("value").get("default"));
  }

  @DualModeTest
  void firstExampleBehavesAsTheTranscriptsShow(PluginHarness plugin) {
    WasmPluginExample e2e = docs.wasmPluginExamples().get(0);
    try (TestHost host = plugin.start(e2e.pluginConfiguration())) {
      LocalResponse reply =
          request(host, "{\"messages\":[{\"role\":\"user\",\"content\":\"costom_word1\"}]}")
              .orElseThrow();
      assertThat(reply.bodyString()).isEqualTo(BLOCKED);
      host.completeHttp();
      assertThat(
              request(
                  host,
                  "{\"messages\":[{\"role\":\"user\",\"content\":\"127.0.0.1 admin@gmail.com"
                      + " sk-12345\"}]}"))
          .isEmpty();
      assertThat(forwarded(host))
          .isEqualTo(
              "{\"messages\":[{\"role\":\"user\",\"content\":\"***.***.***.*** ****@gmail.com"
                  + " c11e7177eb60c80cf983ddf8ca98f2dc1272d4c612204ce9bedd2460b18939cc\"}]}");
      assertThat(jsonResponse(host, Exchanges.answer("Noted: ***.***.***.*** and ****@gmail.com")))
          .isEqualTo(Exchanges.answer("Noted: 127.0.0.1 and admin@gmail.com"));
    }
  }

  @DualModeTest
  void domainExampleBehavesAsTheTranscriptsShow(PluginHarness plugin) {
    try (TestHost host = plugin.start(docs.wasmPluginExamples().get(1).pluginConfiguration())) {
      HeaderMap internal =
          Exchanges.post().toBuilder().set(":authority", "internal-llm.example.com").build();
      host.callOnHttpRequestHeaders(internal, false);
      host.callOnHttpRequestBody(Exchanges.utf8(chat("status of Project  Falcon?", false)), true);
      assertThat(host.getLocalResponse()).isEmpty();
      host.completeHttp();
      host.callOnHttpRequestHeaders(internal, false);
      host.callOnHttpRequestBody(Exchanges.utf8(chat("status of Project Falcon?", false)), true);
      assertThat(host.getLocalResponse().orElseThrow().bodyString()).isEqualTo(BLOCKED);
      host.completeHttp();
      assertThat(request(host, chat("status of Project Falcon?", false))).isEmpty(); // global
    }
  }

  @DualModeTest
  void jsonAndTextExampleBehavesAsTheTranscriptsShow(PluginHarness plugin) {
    try (TestHost host = plugin.start(docs.wasmPluginExamples().get(2).pluginConfiguration())) {
      String body =
          "{\"input\":\"mail bob@example.org\",\"history\":[{\"text\":\"hi\"}],\"temperature\":0.5}";
      assertThat(request(host, body)).isEmpty();
      assertThat(forwarded(host)).isEqualTo(body.replace("bob@example.org", "[email]"));
      host.completeHttp();
      LocalResponse reply = request(host, "the secret plan").orElseThrow();
      assertThat(reply.statusCode()).isEqualTo(403);
      assertThat(reply.headers().get("content-type")).contains("text/plain");
      assertThat(reply.bodyString()).isEqualTo("blocked");
    }
  }
}

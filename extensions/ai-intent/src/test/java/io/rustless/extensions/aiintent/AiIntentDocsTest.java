package io.rustless.extensions.aiintent;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.HttpCallout;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import io.rustless.testing.docs.ExtensionDocsTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** README.md and spec.yaml say what the code does. */
@RustlessTest(plugin = AiIntentPlugin.class)
class AiIntentDocsTest extends ExtensionDocsTest {
  private static final String MINIMAL =
      "{\"categories\": [], \"llm\": {\"proxy_service_name\": \"s\", \"proxy_url\": \"/x\","
          + " \"proxy_port\": 80, \"proxy_api_key\": \"k\"}}";

  AiIntentDocsTest() {
    super(2, AiIntentConfig::parse, MINIMAL);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theNestedTablesMatchTheirSchemasAndTheCode() {
    AiIntentConfig config = AiIntentConfig.parse(ConfigReader.of(Json.parse(MINIMAL).asObject()));
    docs.assertReadmeTableMatchesSchema(
        "| Field of `categories` |",
        (Map<String, Object>) docs.configProperty("categories").get("items"),
        null);
    docs.assertReadmeTableMatchesSchema(
        "| Field of `llm` |", docs.configProperty("llm"), config.llm());
    docs.assertReadmeTableMatchesSchema(
        "| Field of `key_from` |", docs.configProperty("key_from"), config.keyFrom());
  }

  @Test
  void readmeShowsTheDefaultPrompt() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("````text\n") + "````text\n".length();
    int end = readme.indexOf("````\n", start);
    assertThat(readme.substring(start, end)).isEqualTo(AiIntentConfig.DEFAULT_PROMPT);
    AiIntentConfig config = AiIntentConfig.parse(ConfigReader.of(Json.parse(MINIMAL).asObject()));
    assertThat(config.prompt()).isEqualTo(AiIntentConfig.DEFAULT_PROMPT);
  }

  @DualModeTest
  void examplesBehaveAsTheTranscriptsShow(PluginHarness plugin) {
    try (TestHost host = plugin.start(docs.wasmPluginExamples().get(0).pluginConfiguration())) {
      HttpCallout call =
          AiIntentPluginTest.ask(
              host, AiIntentPluginTest.chat("What is the best stock to buy right now?"));
      assertThat(call.upstream()).isEqualTo("outbound|443||qwen.dns");
      AiIntentPluginTest.answer(
          host,
          200,
          AiIntentPluginTest.completion(
              "[{\"use_for\":\"intent-route\",\"result\":\"Finance\"},{\"use_for\":\"disable-cache\",\"result\":\"Time-sensitive\"}]"));
      assertThat(host.getProperty("intent_category:intent-route")).contains("Finance");
      assertThat(host.getProperty("intent_category:disable-cache")).contains("Time-sensitive");
    }
    try (TestHost host = plugin.start(docs.wasmPluginExamples().get(1).pluginConfiguration())) {
      host.setRouteName("default/shop-assistant");
      host.callOnHttpRequestHeaders(AiIntentPluginTest.post(), false);
      host.callOnHttpRequestBody(
          ("{\"messages\":[{\"role\":\"system\",\"content\":\"You help shoppers.\"},"
                  + "{\"role\":\"user\",\"content\":\"a teddy bear for my niece\"}]}")
              .getBytes(StandardCharsets.UTF_8),
          true);
      HttpCallout call = host.getHttpCallouts().get(0);
      assertThat(call.upstream()).isEqualTo("outbound|8000||small-llm.default.svc.cluster.local");
      assertThat(call.authority()).isEqualTo("small-llm.default.svc.cluster.local");
      assertThat(call.path()).isEqualTo("/v1/chat/completions");
      assertThat(call.bodyString())
          .contains("a teddy bear for my niece")
          .doesNotContain("You help");
      AiIntentPluginTest.answer(host, 200, AiIntentPluginTest.completion("department: toys"));
      assertThat(host.getProperty("intent_category:department")).contains("toys");
      host.completeHttp();
      host.setRouteName("other");
      host.callOnHttpRequestHeaders(HeaderMap.of(":path", "/", ":authority", "x"), false);
      host.callOnHttpRequestBody("{}".getBytes(StandardCharsets.UTF_8), true);
      assertThat(host.getHttpCallouts()).isEmpty(); // defaultConfigDisable: no configuration
    }
  }
}

package io.rustless.extensions.aiintent;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.HttpCallout;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import io.rustless.testing.docs.ExtensionDocs;
import io.rustless.testing.docs.WasmPluginExample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** README.md and spec.yaml say what the code does. */
@RustlessTest(plugin = AiIntentPlugin.class)
class AiIntentDocsTest {
  private static final String MINIMAL =
      "{\"categories\": [], \"llm\": {\"proxy_service_name\": \"s\", \"proxy_url\": \"/x\","
          + " \"proxy_port\": 80, \"proxy_api_key\": \"k\"}}";
  private final ExtensionDocs docs = ExtensionDocs.current();

  @Test
  void specIsWellFormedAndMatchesTheReadmeTables() throws IOException {
    docs.assertSpecWellFormed();
    docs.assertReadmeTableMatchesSpec();
    docs.assertDefaultsMatch(AiIntentConfig::parse, MINIMAL);
    AiIntentConfig config = AiIntentConfig.parse(ConfigReader.of(Json.parse(MINIMAL).asObject()));
    Map<String, Object> props = properties();
    docs.assertReadmeTableMatchesSchema(
        "| Field of `categories` |", items(props, "categories"), null);
    docs.assertReadmeTableMatchesSchema("| Field of `llm` |", nested(props, "llm"), config.llm());
    docs.assertReadmeTableMatchesSchema(
        "| Field of `key_from` |", nested(props, "key_from"), config.keyFrom());
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

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties() throws IOException {
    Map<String, Object> spec =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(Path.of("spec.yaml")));
    Map<String, Object> s = (Map<String, Object>) spec.get("spec");
    Map<String, Object> schema =
        (Map<String, Object>) ((Map<String, Object>) s.get("configSchema")).get("openAPIV3Schema");
    return (Map<String, Object>) schema.get("properties");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> nested(Map<String, Object> props, String key) {
    return (Map<String, Object>) props.get(key);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> items(Map<String, Object> props, String key) {
    return (Map<String, Object>) nested(props, key).get("items");
  }

  /** The README table under {@code header} against the schema, and defaults against the code. */
  @DualModeTest
  void everyReadmeExampleConfiguresThePlugin(PluginHarness plugin) {
    assertThat(docs.wasmPluginExamples()).hasSize(2);
    for (WasmPluginExample example : docs.wasmPluginExamples()) {
      try (TestHost host = plugin.start(example.pluginConfiguration())) {
        assertThat(host.startStatus()).as(example.pluginConfiguration()).isEqualTo(StartStatus.OK);
      }
    }
    try (TestHost host = plugin.start(docs.configExample())) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
    }
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

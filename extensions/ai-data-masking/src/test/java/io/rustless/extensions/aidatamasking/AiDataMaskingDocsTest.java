package io.rustless.extensions.aidatamasking;

import static io.rustless.extensions.aidatamasking.Exchanges.chat;
import static io.rustless.extensions.aidatamasking.Exchanges.forwarded;
import static io.rustless.extensions.aidatamasking.Exchanges.jsonResponse;
import static io.rustless.extensions.aidatamasking.Exchanges.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import io.rustless.testing.docs.ExtensionDocs;
import io.rustless.testing.docs.WasmPluginExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** README.md and spec.yaml say what the code does. */
@RustlessTest(plugin = AiDataMaskingPlugin.class)
class AiDataMaskingDocsTest {
  private static final String BLOCKED =
      "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"提问或回答中包含敏感词，已被屏蔽\"}}],\"usage\":{}}";
  private final ExtensionDocs docs = ExtensionDocs.current();

  @Test
  void specIsWellFormedAndMatchesTheReadmeTables() throws IOException {
    docs.assertSpecWellFormed();
    docs.assertReadmeTableMatchesSpec();
    docs.assertDefaultsMatch(AiDataMaskingConfig::parse, "{}");
    // the replace_roles table against the spec's item schema
    Map<String, Object> items = replaceRolesItems();
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

  @SuppressWarnings("unchecked")
  private static Map<String, Object> replaceRolesItems() throws IOException {
    Map<String, Object> spec =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(Path.of("spec.yaml")));
    Map<String, Object> s = (Map<String, Object>) spec.get("spec");
    Map<String, Object> schema =
        (Map<String, Object>) ((Map<String, Object>) s.get("configSchema")).get("openAPIV3Schema");
    Map<String, Object> roles =
        (Map<String, Object>) ((Map<String, Object>) schema.get("properties")).get("replace_roles");
    return (Map<String, Object>) roles.get("items");
  }

  @DualModeTest
  void everyReadmeExampleConfiguresThePlugin(PluginHarness plugin) {
    assertThat(docs.wasmPluginExamples()).hasSize(3);
    for (WasmPluginExample example : docs.wasmPluginExamples()) {
      try (TestHost host = plugin.start(example.pluginConfiguration())) {
        assertThat(host.startStatus()).as(example.pluginConfiguration()).isEqualTo(StartStatus.OK);
      }
    }
  }

  @DualModeTest
  void specExamplesConfigureThePlugin(PluginHarness plugin) {
    try (TestHost host = plugin.start(docs.configExample())) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
    }
    String route = docs.routeConfigExample().orElseThrow();
    try (TestHost host =
        plugin.start("{\"_rules_\": [{\"_match_route_\": [\"r\"], " + route.substring(1) + "]}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
    }
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

package io.rustless.extensions.aiintent;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.higress.json.JsonString;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.HttpCallout;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The plugin with the model answering through the emulator. */
@RustlessTest(plugin = AiIntentPlugin.class)
class AiIntentPluginTest {
  static final String CONFIG =
      """
      {"categories": [
         {"use_for": "intent-route", "options": ["Finance", "E-commerce", "Law", "Others"]},
         {"use_for": "disable-cache", "options": ["Time-sensitive", "An innovative product", "Others"]}],
       "llm": {"proxy_service_name": "qwen.dns", "proxy_url": "http://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions",
               "proxy_port": 80, "proxy_domain": "dashscope.aliyuncs.com", "proxy_api_key": "sk-test",
               "proxy_model": "qwen-turbo", "proxy_timeout": 3000},
       "key_from": {}}
      """;

  static HeaderMap post() {
    return HeaderMap.of(
        ":method",
        "POST",
        ":path",
        "/v1/chat/completions",
        ":authority",
        "gw.example.com",
        "content-type",
        "application/json");
  }

  static String chat(String question) {
    StringBuilder sb = new StringBuilder("{\"messages\":[{\"role\":\"user\",\"content\":");
    JsonString.quote(question, sb);
    return sb.append("}],\"model\":\"gpt\"}").toString();
  }

  /** An OpenAI chat completion whose answer is {@code content}. */
  static String completion(String content) {
    StringBuilder sb =
        new StringBuilder(
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
    JsonString.quote(content, sb);
    return sb.append("}}]}").toString();
  }

  static HttpCallout ask(TestHost host, String body) {
    assertThat(host.callOnHttpRequestHeaders(post(), false)).isEqualTo(HeaderAction.STOP_ITERATION);
    assertThat(host.callOnHttpRequestBody(body.getBytes(StandardCharsets.UTF_8), true))
        .isEqualTo(DataAction.STOP_ITERATION_AND_BUFFER);
    List<HttpCallout> calls = host.getHttpCallouts();
    assertThat(calls).hasSize(1);
    return calls.get(0);
  }

  static void answer(TestHost host, int status, String body) {
    host.callOnHttpCallResponse(
        host.getHttpCallouts().get(0).token(),
        HeaderMap.of(":status", Integer.toString(status), "content-type", "application/json"),
        body.getBytes(StandardCharsets.UTF_8),
        HeaderMap.empty());
  }

  @DualModeTest
  void asksTheModelAndWritesOnePropertyPerCategory(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
      String body = chat("What is the best stock to buy right now?");
      HttpCallout call = ask(host, body);
      assertThat(call.upstream()).isEqualTo("outbound|80||qwen.dns");
      assertThat(call.method()).isEqualTo("POST");
      assertThat(call.authority()).isEqualTo("dashscope.aliyuncs.com");
      assertThat(call.path()).isEqualTo("/compatible-mode/v1/chat/completions");
      assertThat(call.headers().get("Content-Type")).contains("application/json");
      assertThat(call.headers().get("Authorization")).contains("Bearer sk-test");
      assertThat(call.timeoutMillis()).isEqualTo(3000);
      JsonObject sent = Json.parse(call.bodyString()).asObject();
      assertThat(sent.get("model").orElseThrow().asString()).isEqualTo("qwen-turbo");
      String prompt =
          sent.get("messages")
              .orElseThrow()
              .asArray()
              .get(0)
              .asObject()
              .get("content")
              .orElseThrow()
              .asString();
      assertThat(prompt)
          .contains("The user's question is: 'What is the best stock to buy right now?'")
          .contains(
              "- use_for: intent-route\n  options:\n  - Finance\n  - E-commerce\n  - Law\n  - Others\n"
                  + "- use_for: disable-cache\n  options:\n  - Time-sensitive\n  - An innovative"
                  + " product\n  - Others\n");
      assertThat(host.getRequestResumes()).isZero();

      answer(
          host,
          200,
          completion(
              "```json\n[\n{\"use_for\":\"intent-route\",\"result\":\"Finance\"},\n"
                  + "{\"use_for\":\"disable-cache\",\"result\":\"Time-sensitive\"}\n]\n```"));
      assertThat(host.getProperty("intent_category:intent-route")).contains("Finance");
      assertThat(host.getProperty("intent_category:disable-cache")).contains("Time-sensitive");
      assertThat(host.getRequestResumes()).isEqualTo(1);
      // the request goes on with the body it came with
      assertThat(new String(host.getRequestBody(), StandardCharsets.UTF_8)).isEqualTo(body);
    }
  }

  @DualModeTest
  void errorsOfTheModelNeverBlockTheRequest(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      ask(host, chat("q1"));
      answer(host, 500, "{\"error\":\"overloaded\"}");
      assertThat(host.getRequestResumes()).isEqualTo(1);
      assertThat(host.getProperty("intent_category:intent-route")).isEmpty();
      assertThat(host.getLogs(LogLevel.WARN))
          .contains("[ai-intent] the model answered 500: no intent for this request");
      host.completeHttp();

      ask(host, chat("q2"));
      host.failHttpCall(host.getHttpCallouts().get(0).token()); // timeout or reset
      assertThat(host.getRequestResumes()).isEqualTo(1);
      assertThat(host.getLogs(LogLevel.WARN))
          .contains("[ai-intent] the model answered 502: no intent for this request");
      host.completeHttp();

      ask(host, chat("q3"));
      answer(host, 200, "not json");
      assertThat(host.getRequestResumes()).isEqualTo(1);
      host.completeHttp();

      ask(host, chat("q4"));
      answer(host, 200, completion("I cannot decide."));
      assertThat(host.getRequestResumes()).isEqualTo(1);
      assertThat(host.getProperty("intent_category:intent-route")).isEmpty();
      assertThat(host.getPluginErrors()).isEmpty();
    }
  }

  @DualModeTest
  void requestsWithoutAQuestionAreNotHeld(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      for (String body :
          new String[] {
            "", "not json", "{\"messages\":[]}", "{\"messages\":[{\"content\":42}]}", "[1,2"
          }) {
        host.callOnHttpRequestHeaders(post(), false);
        assertThat(host.callOnHttpRequestBody(body.getBytes(StandardCharsets.UTF_8), true))
            .as(body)
            .isEqualTo(DataAction.CONTINUE);
        assertThat(host.getHttpCallouts()).isEmpty();
        host.completeHttp();
      }
      assertThat(host.callOnHttpRequestHeaders(post(), true)).isEqualTo(HeaderAction.CONTINUE);
      assertThat(host.getHttpCallouts()).isEmpty();
    }
  }

  @DualModeTest
  void longQuestionsAreCutAndHugeBodiesDoNotTrap(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      HttpCallout call = ask(host, chat("q".repeat(100_000) + " tail"));
      String prompt =
          Json.parse(call.bodyString())
              .asObject()
              .get("messages")
              .orElseThrow()
              .asArray()
              .get(0)
              .asObject()
              .get("content")
              .orElseThrow()
              .asString();
      assertThat(prompt).contains("'" + "q".repeat(32 * 1024) + "'").doesNotContain("tail");
      answer(host, 200, completion("Finance"));
      assertThat(host.getProperty("intent_category:intent-route")).contains("Finance");
      host.completeHttp();
      // a 32 MiB body does not fit the 16 MiB heap: the SDK refuses to read it (no trap), the
      // request goes on without an intent
      host.expectPluginErrors();
      host.callOnHttpRequestHeaders(post(), false);
      byte[] huge = chat("x".repeat(32 << 20)).getBytes(StandardCharsets.UTF_8);
      host.callOnHttpRequestBody(huge, true);
      if (plugin.mode().runsModule()) {
        assertThat(host.getHttpCallouts()).isEmpty();
        assertThat(host.getPluginErrors())
            .singleElement()
            .asString()
            .contains("HeapLimitException");
      } else {
        assertThat(host.getHttpCallouts()).hasSize(1); // the JVM's heap is larger
        host.failHttpCall(host.getHttpCallouts().get(0).token());
      }
      host.completeHttp();
      ask(host, chat("still working?"));
    }
  }

  @DualModeTest
  void textPartsOfAContentArrayAreTheQuestion(PluginHarness plugin) {
    try (TestHost host = plugin.start(CONFIG)) {
      HttpCallout call =
          ask(
              host,
              "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"part one\"},"
                  + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:x\"}},{\"type\":\"text\",\"text\":\"part two\"}]}]}");
      assertThat(call.bodyString()).contains("'part one\\npart two'");
    }
  }

  @DualModeTest
  void keyFromPathsAndPromptAreConfigurable(PluginHarness plugin) {
    String config =
        CONFIG.replace(
            "\"key_from\": {}",
            "\"key_from\": {\"request_body\": \"$.messages[-1].content\","
                + " \"response_body\": \"$.output.text\"}, \"prompt\": \"Q=${question} C=${categories}!\"");
    try (TestHost host = plugin.start(config)) {
      HttpCallout call =
          ask(
              host,
              "{\"messages\":[{\"content\":\"first\"},{\"content\":\"last ${categories}\"}]}");
      String prompt =
          Json.parse(call.bodyString())
              .asObject()
              .get("messages")
              .orElseThrow()
              .asArray()
              .get(0)
              .asObject()
              .get("content")
              .orElseThrow()
              .asString();
      assertThat(prompt)
          .startsWith("Q=last ${categories} C=- use_for: intent-route\n")
          .endsWith("!");
      answer(host, 200, "{\"output\":{\"text\":\"{\\\"intent-route\\\": \\\"law\\\"}\"}}");
      assertThat(host.getProperty("intent_category:intent-route")).contains("Law");
    }
  }

  @DualModeTest
  void anUnusableUrlDoesNotHoldTheRequest(PluginHarness plugin) {
    try (TestHost host =
        plugin.start(
            CONFIG.replace("http://dashscope.aliyuncs.com/compatible-mode", "not a url"))) {
      host.callOnHttpRequestHeaders(post(), false);
      assertThat(host.callOnHttpRequestBody(chat("q").getBytes(StandardCharsets.UTF_8), true))
          .isEqualTo(DataAction.CONTINUE);
      assertThat(host.getLogs(LogLevel.WARN).get(0))
          .startsWith("[ai-intent] could not ask the model, the request goes on without an intent");
    }
  }

  @DualModeTest
  void aRelativeUrlGoesToTheDomainOrTheServiceName(PluginHarness plugin) {
    String config = CONFIG.replace("http://dashscope.aliyuncs.com/compatible-mode/v1", "/v1");
    try (TestHost host = plugin.start(config)) {
      HttpCallout call = ask(host, chat("q"));
      assertThat(call.path()).isEqualTo("/v1/chat/completions");
      assertThat(call.authority()).isEqualTo("dashscope.aliyuncs.com");
    }
    try (TestHost host =
        plugin.start(config.replace("\"proxy_domain\": \"dashscope.aliyuncs.com\", ", ""))) {
      assertThat(ask(host, chat("q")).authority()).isEqualTo("qwen.dns");
    }
  }

  @DualModeTest
  void rulesPickTheCategories(PluginHarness plugin) {
    String config =
        CONFIG.substring(0, CONFIG.lastIndexOf('}'))
            + ", \"_rules_\": [{\"_match_route_\": [\"shop\"], \"categories\": [{\"use_for\": \"dept\","
            + " \"options\": [\"toys\", \"books\"]}], \"llm\": {\"proxy_service_name\": \"local.static\","
            + " \"proxy_url\": \"/ask\", \"proxy_port\": 8080, \"proxy_api_key\": \"k\"}}]}";
    try (TestHost host = plugin.start(config)) {
      host.setRouteName("shop");
      HttpCallout call = ask(host, chat("a teddy bear"));
      assertThat(call.upstream()).isEqualTo("outbound|8080||local.static");
      assertThat(Json.parse(call.bodyString()).asObject().get("model").orElseThrow().asString())
          .isEqualTo("qwen-long");
      assertThat(call.timeoutMillis()).isEqualTo(10_000);
      answer(host, 200, completion("{\"use_for\": \"dept\", \"result\": \"toys\"}"));
      assertThat(host.getProperty("intent_category:dept")).contains("toys");
    }
  }

  @DualModeTest
  void noCategoriesMeansNoQuestion(PluginHarness plugin) {
    try (TestHost host =
        plugin.start(
            "{\"categories\": [], \"llm\": {\"proxy_service_name\": \"s\", \"proxy_url\":"
                + " \"/x\", \"proxy_port\": 80, \"proxy_api_key\": \"k\"}}")) {
      assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
      host.callOnHttpRequestHeaders(post(), false);
      assertThat(host.callOnHttpRequestBody(chat("q").getBytes(StandardCharsets.UTF_8), true))
          .isEqualTo(DataAction.CONTINUE);
      assertThat(host.getHttpCallouts()).isEmpty();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{} | categories: required field is missing (expected an array)",
        "{\"categories\": [], \"llm\": {}} | llm.proxy_service_name: required field is missing",
        "{\"categories\": [{\"options\": []}], \"llm\": {}} | categories[0].use_for: required field is missing",
        "{\"categories\": [{\"use_for\": \"x\"}]} | categories[0].options: required field is missing",
        "{\"categories\": [], \"llm\": {\"proxy_service_name\": \"s\", \"proxy_url\": \"/x\", \"proxy_api_key\": \"k\"}}"
            + " | llm.proxy_port: required field is missing (expected an integer)",
        "{\"categories\": [], \"llm\": {\"proxy_service_name\": \"s\", \"proxy_url\": \"/x\", \"proxy_api_key\": \"k\","
            + " \"proxy_port\": 70000}} | llm.proxy_port: must be between 1 and 65535 but is 70000",
        "{\"categories\": [], \"llm\": {\"proxy_service_name\": \"s\", \"proxy_url\": \"\", \"proxy_api_key\": \"k\","
            + " \"proxy_port\": 80}} | llm.proxy_url: must not be empty",
        "{\"categories\": [], \"llm\": {\"proxy_service_name\": \"s\", \"proxy_url\": \"/x\", \"proxy_api_key\": \"k\","
            + " \"proxy_port\": 80}, \"key_from\": {\"request_body\": \"messages\"}}"
            + " | key_from.request_body: invalid JSONPath 'messages' at offset 0",
        "{\"categories\": [], \"llm\": {\"proxy_service_name\": \"s\", \"proxy_url\": \"/x\", \"proxy_api_key\": \"k\","
            + " \"proxy_port\": 80, \"proxy_timeout\": 0}} | llm.proxy_timeout: must be between 1 and 600000 but is 0",
      })
  void badConfigurationFailsNamingTheField(String config, String message) {
    for (PluginHarness plugin :
        PluginHarness.enabled(AiIntentPlugin.class, java.nio.file.Path.of("target/plugin.wasm"))) {
      try (TestHost host = plugin.start(config.trim())) {
        assertThat(host.startStatus()).isEqualTo(StartStatus.FAILED);
        assertThat(host.getLogs(LogLevel.ERROR).get(0))
            .startsWith("[ai-intent] invalid configuration: " + message.trim());
      }
    }
  }
}

package io.rustless.extensions.aiintent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import io.rustless.testing.TestHost;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A real local HTTP server plays the model; the test host routes the plugin's calls to it. */
@RustlessTest(plugin = AiIntentPlugin.class)
class AiIntentRealModelTest {
  private static HttpServer model;
  private static final List<String> seen = new ArrayList<>();

  @BeforeAll
  static void startModel() throws IOException {
    model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    model.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          synchronized (seen) {
            seen.add(
                exchange.getRequestMethod()
                    + " "
                    + exchange.getRequestURI()
                    + " "
                    + exchange.getRequestHeaders().getFirst("Authorization")
                    + " "
                    + body);
          }
          String question = question(body);
          int status = 200;
          String answer;
          if (question.contains("slow")) {
            try {
              Thread.sleep(1500);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            answer =
                AiIntentPluginTest.completion(
                    "[{\"use_for\":\"intent-route\",\"result\":\"Law\"}]");
          } else if (question.contains("broken")) {
            status = 503;
            answer = "{\"error\":\"unavailable\"}";
          } else if (question.contains("garbage")) {
            answer = "<html>nope</html>";
          } else {
            answer =
                AiIntentPluginTest.completion(
                    "```json\n[{\"use_for\":\"intent-route\",\"result\":\"E-commerce\"},"
                        + "{\"use_for\":\"disable-cache\",\"result\":\"Others\"}]\n```");
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("content-type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    model.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // slow answers overlap
    model.start();
  }

  @AfterAll
  static void stopModel() {
    model.stop(0);
  }

  /** The user's question inside the prompt the plugin sent. */
  private static String question(String body) {
    JsonObject o = Json.parse(body).asObject();
    String prompt =
        o.get("messages")
            .orElseThrow()
            .asArray()
            .get(0)
            .asObject()
            .get("content")
            .orElseThrow()
            .asString();
    int at = prompt.indexOf("question is: '");
    return prompt.substring(at + 14, prompt.indexOf('\'', at + 14));
  }

  private static TestHost start(PluginHarness plugin, int timeoutMillis) {
    URI base = URI.create("http://127.0.0.1:" + model.getAddress().getPort());
    return plugin
        .host()
        .pluginConfiguration(
            AiIntentPluginTest.CONFIG.replace(
                "\"proxy_timeout\": 3000", "\"proxy_timeout\": " + timeoutMillis))
        .httpUpstream("qwen.dns", base)
        .start();
  }

  private static DataAction send(TestHost host, String question) {
    host.callOnHttpRequestHeaders(AiIntentPluginTest.post(), false);
    return host.callOnHttpRequestBody(
        AiIntentPluginTest.chat(question).getBytes(StandardCharsets.UTF_8), true);
  }

  @DualModeTest
  void theAnswerOfARealServerBecomesProperties(PluginHarness plugin) {
    try (TestHost host = start(plugin, 3000)) {
      assertThat(send(host, "where can I buy shoes online?"))
          .isEqualTo(DataAction.STOP_ITERATION_AND_BUFFER);
      // the answer arrived by itself once the callback returned
      assertThat(host.getHttpCallouts()).isEmpty();
      assertThat(host.getRequestResumes()).isEqualTo(1);
      assertThat(host.getProperty("intent_category:intent-route")).contains("E-commerce");
      assertThat(host.getProperty("intent_category:disable-cache")).contains("Others");
      String request;
      synchronized (seen) {
        request = seen.get(seen.size() - 1);
      }
      assertThat(request)
          .startsWith(
              "POST /compatible-mode/v1/chat/completions Bearer sk-test {\"model\":\"qwen-turbo\"");
    }
  }

  @DualModeTest
  void aSlowBrokenOrNonsensicalModelNeverBlocksTheRequest(PluginHarness plugin) {
    try (TestHost host = start(plugin, 300)) {
      send(host, "slow question");
      assertThat(host.getRequestResumes()).isEqualTo(1);
      assertThat(host.getProperty("intent_category:intent-route")).isEmpty();
      assertThat(host.getLogs(LogLevel.WARN))
          .contains("[ai-intent] the model answered 502: no intent for this request");
      host.completeHttp();

      send(host, "broken question");
      assertThat(host.getRequestResumes()).isEqualTo(1);
      assertThat(host.getLogs(LogLevel.WARN))
          .contains("[ai-intent] the model answered 503: no intent for this request");
      host.completeHttp();

      send(host, "garbage question");
      assertThat(host.getRequestResumes()).isEqualTo(1);
      assertThat(host.getProperty("intent_category:intent-route")).isEmpty();
      assertThat(host.getPluginErrors()).isEmpty();
    }
  }
}

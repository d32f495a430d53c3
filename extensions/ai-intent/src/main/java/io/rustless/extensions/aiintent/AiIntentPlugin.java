package io.rustless.extensions.aiintent;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.higress.Log;
import io.rustless.sdk.higress.cluster.FqdnCluster;
import io.rustless.sdk.higress.json.JsonException;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.higress.json.JsonPath;
import io.rustless.sdk.higress.json.JsonSelection;
import io.rustless.sdk.higress.json.JsonValue;
import io.rustless.sdk.higress.wrapper.HigressPlugin;
import io.rustless.sdk.higress.wrapper.RequestContext;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.lang.Utf8;
import java.util.List;

/**
 * Asks a model which of the configured categories a request's question belongs to, before the
 * request goes on, and writes each answer into the property {@code intent_category:<use_for>},
 * where later plugins (routing, caching) read it. The request waits for the answer; it is never
 * blocked: a failed, late or unreadable answer only means no property. See the README.
 */
public final class AiIntentPlugin {
  static final String NAME = "ai-intent";
  static final String PROPERTY_PREFIX = "intent_category:";

  /** Longer questions are cut to this many characters: enough to tell an intent, small to send. */
  static final int MAX_QUESTION = 32 * 1024;

  private AiIntentPlugin() {}

  public static void main(String[] args) {
    HigressPlugin.builder(NAME, AiIntentConfig::parse)
        .onRequestBody(AiIntentPlugin::onRequestBody)
        .register();
  }

  static DataAction onRequestBody(
      RequestContext<AiIntentConfig> ctx, AiIntentConfig config, byte[] body) {
    Log log = ctx.log();
    if (config.categories().isEmpty()) {
      return DataAction.CONTINUE;
    }
    String question = question(body, config.keyFrom().question());
    if (question == null) {
      log.debug("no question at " + config.keyFrom().requestBody() + ": not asking the model");
      return DataAction.CONTINUE;
    }
    if (question.length() > MAX_QUESTION) {
      int cut = MAX_QUESTION;
      if (Character.isHighSurrogate(question.charAt(cut - 1))) {
        cut--;
      }
      question = question.substring(0, cut);
    }
    AiIntentConfig.Llm llm = config.llm();
    JsonObject request =
        JsonObject.builder()
            .put("model", llm.proxyModel())
            .put(
                "messages",
                io.rustless.sdk.higress.json.JsonArray.of(
                    List.of(
                        JsonObject.builder()
                            .put("role", "user")
                            .put("content", config.promptFor(question))
                            .build())))
            .build();
    HeaderMap headers =
        HeaderMap.of(
            "Content-Type", "application/json", "Authorization", "Bearer " + llm.proxyApiKey());
    try {
      ctx.httpCall(
          new FqdnCluster(llm.proxyServiceName(), llm.proxyDomain(), llm.proxyPort()),
          "POST",
          llm.proxyUrl(),
          headers,
          Utf8.encode(request.toString()),
          (status, answerHeaders, answerBody) -> onAnswer(ctx, config, status, answerBody),
          llm.proxyTimeout());
    } catch (RuntimeException e) {
      log.warn("could not ask the model, the request goes on without an intent: " + e.getMessage());
      return DataAction.CONTINUE;
    }
    return DataAction.STOP_ITERATION_AND_BUFFER;
  }

  /** The model's answer arrived (or the call failed: 502): set what it says, then go on. */
  static void onAnswer(
      RequestContext<AiIntentConfig> ctx, AiIntentConfig config, int status, byte[] body) {
    Log log = ctx.log();
    try {
      if (status != 200) {
        log.warn("the model answered " + status + ": no intent for this request");
        return;
      }
      String answer = answerText(body, config.keyFrom().answer());
      if (answer == null) {
        log.warn("no answer at " + config.keyFrom().responseBody() + " in the model's response");
        return;
      }
      List<IntentAnswer.Intent> intents = IntentAnswer.read(answer, config.categories());
      if (intents.isEmpty()) {
        log.info("the model's answer has no verdict on a configured category: no intent");
      }
      for (IntentAnswer.Intent i : intents) {
        ctx.setProperty(Utf8.encode(i.result()), PROPERTY_PREFIX + i.useFor());
        log.debug("intent " + i.useFor() + " = " + i.result());
      }
    } catch (RuntimeException e) {
      log.warn("could not read the model's answer: " + e);
    } finally {
      ctx.resumeHttpRequest();
    }
  }

  /** The question: the string at {@code path}, or the text parts of a content array. */
  static String question(byte[] body, JsonPath path) {
    if (body.length == 0) {
      return null;
    }
    JsonSelection sel;
    try {
      sel = JsonSelection.scan(body, path);
    } catch (JsonException notJson) {
      return null;
    }
    if (sel.size() == 0) {
      return null;
    }
    if (sel.isString(0)) {
      return sel.string(0);
    }
    if (sel.typeName(0).equals("array")) {
      StringBuilder sb = new StringBuilder();
      for (JsonValue part : sel.value(0).asArray().values()) {
        if (part.isObject()) {
          part.asObject()
              .get("text")
              .filter(JsonValue::isString)
              .ifPresent(t -> sb.append(sb.length() > 0 ? "\n" : "").append(t.asString()));
        }
      }
      return sb.length() > 0 ? sb.toString() : null;
    }
    return null;
  }

  private static String answerText(byte[] body, JsonPath path) {
    try {
      JsonSelection sel = JsonSelection.scan(body, path);
      return sel.size() > 0 && sel.isString(0) ? sel.string(0) : null;
    } catch (JsonException notJson) {
      return null;
    }
  }
}

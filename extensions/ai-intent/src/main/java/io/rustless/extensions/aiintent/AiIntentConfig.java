package io.rustless.extensions.aiintent;

import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.higress.json.JsonPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * ai-intent's configuration, as Higress's plugin code reads it (not its older README's {@code
 * scene.category} layout).
 *
 * @param prompt the question template: {@code ${question}} and {@code ${categories}} are filled in
 * @param categories the intents to recognise, each a property name and its allowed values
 * @param llm where and how to ask the model
 * @param keyFrom where the question is in the request, and the answer in the model's response
 */
public record AiIntentConfig(String prompt, List<Category> categories, Llm llm, KeyFrom keyFrom) {

  /** Higress's default template, verbatim. */
  static final String DEFAULT_PROMPT =
      "\n"
          + "You are an intelligent category recognition assistant, responsible for determining"
          + " which preset category a question belongs to based on the user's query and predefined"
          + " categories, and providing the corresponding category. \n"
          + "The user's question is: '${question}'\n"
          + "The preset categories are: \n"
          + "${categories}\n"
          + "\n"
          + "Please respond directly with the category in the following manner:\n"
          + "```\n"
          + "[\n"
          + "{\"use_for\":\"scene1\",\"result\":\"result1\"},\n"
          + "{\"use_for\":\"scene2\",\"result\":\"result2\"}\n"
          + "]\n"
          + "```\n"
          + "Ensure that different `use_for` are on different lines, and that `use_for` and"
          + " `result` appear on the same line.\n";

  /**
   * One intent.
   *
   * @param useFor the name: the answer lands in property {@code intent_category:<use_for>}
   * @param options the values the answer may take
   */
  public record Category(String useFor, List<String> options) {
    static Category parse(ConfigReader c) {
      String useFor = c.requireString("use_for");
      if (useFor.isEmpty()) {
        throw c.error("use_for", "must not be empty");
      }
      if (!c.has("options")) {
        throw c.error("options", "required field is missing (expected an array)");
      }
      return new Category(useFor, c.getStringList("options"));
    }
  }

  /**
   * The model to ask.
   *
   * @param proxyServiceName the service's FQDN in Higress (e.g. {@code qwen.dns})
   * @param proxyUrl the URL to post to: absolute ({@code http://host/path}) or a path
   * @param proxyModel the {@code model} of the chat request
   * @param proxyPort the service port
   * @param proxyDomain the {@code :authority} when the URL has none (default: the service name)
   * @param proxyTimeout milliseconds to wait for the answer
   * @param proxyApiKey sent as {@code Authorization: Bearer <key>}
   */
  public record Llm(
      String proxyServiceName,
      String proxyUrl,
      String proxyModel,
      int proxyPort,
      String proxyDomain,
      int proxyTimeout,
      String proxyApiKey) {
    static Llm parse(ConfigReader c) {
      String service = c.requireString("proxy_service_name");
      String url = c.requireString("proxy_url");
      if (url.isEmpty()) {
        throw c.error("proxy_url", "must not be empty");
      }
      return new Llm(
          service,
          url,
          c.getString("proxy_model", "qwen-long"),
          requirePort(c),
          c.getString("proxy_domain", ""),
          c.getInt("proxy_timeout", 10_000, 1, 600_000),
          c.requireString("proxy_api_key"));
    }

    private static int requirePort(ConfigReader c) {
      if (!c.has("proxy_port")) {
        throw c.error("proxy_port", "required field is missing (expected an integer)");
      }
      return c.getInt("proxy_port", 0, 1, 65535);
    }
  }

  /**
   * Where to find things.
   *
   * @param requestBody JSONPath of the question in the request body
   * @param responseBody JSONPath of the answer in the model's response body
   */
  public record KeyFrom(
      String requestBody, String responseBody, JsonPath question, JsonPath answer) {
    static final KeyFrom DEFAULT = of("$.messages[0].content", "$.choices[0].message.content");

    static KeyFrom parse(ConfigReader c) {
      String req = c.getString("request_body", DEFAULT.requestBody());
      String res = c.getString("response_body", DEFAULT.responseBody());
      return new KeyFrom(req, res, path(c, "request_body", req), path(c, "response_body", res));
    }

    private static KeyFrom of(String req, String res) {
      return new KeyFrom(req, res, JsonPath.compile(req), JsonPath.compile(res));
    }

    private static JsonPath path(ConfigReader c, String key, String value) {
      try {
        return JsonPath.compile(value);
      } catch (IllegalArgumentException e) {
        throw c.error(key, e.getMessage());
      }
    }
  }

  /** Parses one configuration object (global or a rule's). */
  public static AiIntentConfig parse(ConfigReader c) {
    String prompt = c.getString("prompt", DEFAULT_PROMPT);
    if (!c.has("categories")) {
      throw c.error("categories", "required field is missing (expected an array)");
    }
    List<Category> categories = new ArrayList<>();
    for (ConfigReader r : c.getObjectList("categories")) {
      categories.add(Category.parse(r));
    }
    Llm llm = Llm.parse(c.requireObject("llm"));
    KeyFrom keyFrom = c.optObject("key_from").map(KeyFrom::parse).orElse(KeyFrom.DEFAULT);
    return new AiIntentConfig(prompt, Collections.unmodifiableList(categories), llm, keyFrom);
  }

  /**
   * The question for the model: {@code ${question}} and {@code ${categories}} filled in, in one
   * pass (a question that contains {@code ${categories}} stays as it is).
   */
  String promptFor(String question) {
    String yaml = categoriesYaml();
    StringBuilder sb = new StringBuilder(prompt.length() + question.length() + yaml.length());
    int i = 0;
    while (i < prompt.length()) {
      if (prompt.startsWith("${question}", i)) {
        sb.append(question);
        i += "${question}".length();
      } else if (prompt.startsWith("${categories}", i)) {
        sb.append(yaml);
        i += "${categories}".length();
      } else {
        sb.append(prompt.charAt(i++));
      }
    }
    return sb.toString();
  }

  /** The categories as YAML, the way Higress renders them (serde_yaml). */
  String categoriesYaml() {
    StringBuilder sb = new StringBuilder();
    for (Category c : categories) {
      sb.append("- use_for: ").append(Yaml.scalar(c.useFor())).append('\n');
      if (c.options().isEmpty()) {
        sb.append("  options: []\n");
        continue;
      }
      sb.append("  options:\n");
      for (String o : c.options()) {
        sb.append("  - ").append(Yaml.scalar(o)).append('\n');
      }
    }
    return sb.toString();
  }
}

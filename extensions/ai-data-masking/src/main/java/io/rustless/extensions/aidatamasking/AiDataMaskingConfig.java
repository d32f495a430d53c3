package io.rustless.extensions.aidatamasking;

import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.higress.config.InvalidConfigException;
import io.rustless.sdk.higress.json.JsonPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * ai-data-masking's configuration: field names, types and defaults are those of Higress's plugin
 * (README, "Configuration fields").
 *
 * @param denyOpenai treat a body with a {@code messages} array as an OpenAI chat request
 * @param denyJsonpath JSONPaths of the string fields to check and mask in other JSON bodies
 * @param denyRaw check and mask the whole body when neither of the above applies
 * @param systemDeny also deny the built-in words
 * @param denyCode status of the local reply that blocks a request
 * @param denyMessage assistant text of an OpenAI-shaped block reply
 * @param denyRawMessage body of any other block reply
 * @param denyContentType content type of {@code denyRawMessage}
 * @param replaceRoles masking rules, applied in order
 * @param denyWords custom deny words
 * @param jsonPaths {@code denyJsonpath} compiled (empty entries dropped)
 * @param deny the deny words' automaton
 * @param plan how {@code replaceRoles} search a text
 */
public record AiDataMaskingConfig(
    boolean denyOpenai,
    List<String> denyJsonpath,
    boolean denyRaw,
    boolean systemDeny,
    int denyCode,
    String denyMessage,
    String denyRawMessage,
    String denyContentType,
    List<MaskRule> replaceRoles,
    List<String> denyWords,
    List<JsonPath> jsonPaths,
    DenyWords deny,
    MaskPlan plan) {

  static final String DEFAULT_DENY_MESSAGE = "提问或回答中包含敏感词，已被屏蔽";
  static final String DEFAULT_DENY_RAW_MESSAGE = "{\"errmsg\":\"提问或回答中包含敏感词，已被屏蔽\"}";

  /** Parses one configuration object (global or a rule's). */
  public static AiDataMaskingConfig parse(ConfigReader c) {
    boolean denyOpenai = c.getBoolean("deny_openai", true);
    List<String> denyJsonpath = c.getStringList("deny_jsonpath");
    List<JsonPath> paths = new ArrayList<>();
    for (int i = 0; i < denyJsonpath.size(); i++) {
      String p = denyJsonpath.get(i);
      if (p.isEmpty()) {
        continue;
      }
      try {
        paths.add(JsonPath.compile(p));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(c.pathOf("deny_jsonpath") + "[" + i + "]", e.getMessage());
      }
    }
    boolean denyRaw = c.getBoolean("deny_raw", false);
    boolean systemDeny = c.getBoolean("system_deny", false);
    int denyCode = c.getInt("deny_code", 200, 200, 599);
    String denyMessage = c.getString("deny_message", DEFAULT_DENY_MESSAGE);
    String denyRawMessage = c.getString("deny_raw_message", DEFAULT_DENY_RAW_MESSAGE);
    String denyContentType = c.getString("deny_content_type", "application/json");
    List<MaskRule> rules = new ArrayList<>();
    for (ConfigReader r : c.getObjectList("replace_roles")) {
      rules.add(MaskRule.parse(r));
    }
    List<String> denyWords = c.getStringList("deny_words");
    List<MaskRule> roles = Collections.unmodifiableList(rules);
    return new AiDataMaskingConfig(
        denyOpenai,
        denyJsonpath,
        denyRaw,
        systemDeny,
        denyCode,
        denyMessage,
        denyRawMessage,
        denyContentType,
        roles,
        denyWords,
        Collections.unmodifiableList(paths),
        DenyWords.of(denyWords, systemDeny),
        new MaskPlan(roles));
  }

  /** True if some rule records masks for the response. */
  boolean restores() {
    for (MaskRule r : replaceRoles) {
      if (r.restore()) {
        return true;
      }
    }
    return false;
  }
}

package io.rustless.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.NodePath;
import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.WasmPluginSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks {@code defaultConfig} and every {@code matchRules[].config} against an extension's OpenAPI
 * v3 schemas (networknt json-schema-validator, OpenAPI 3.0 dialect). Errors name the field path
 * from the WasmPlugin settings, so a user can find it in the source's spec.
 */
public final class ConfigValidator {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * OpenAPI 3.0, with the console's annotations ({@code scope}, {@code x-title-i18n}, …) accepted
   * silently: they describe fields, they do not constrain them.
   */
  private static final Dialect DIALECT =
      Dialect.builder(Dialects.getOpenApi30())
          .unknownKeywordFactory((keyword, context) -> new NonValidationKeyword(keyword))
          .build();

  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(DIALECT);
  private final Map<JsonNode, Schema> compiled = new ConcurrentHashMap<>();

  /** All errors, in spec order: {@code defaultConfig} first, then the rules by index. */
  public List<ConfigError> validate(WasmPluginSettings settings, ExtensionSchema schema) {
    var errors = new ArrayList<ConfigError>();
    if (settings == null) {
      return errors;
    }
    if (settings.getDefaultConfig() != null) {
      schema
          .configSchema()
          .ifPresent(s -> check(s, settings.getDefaultConfig(), "defaultConfig", errors));
    }
    List<MatchRule> rules = settings.getMatchRules() == null ? List.of() : settings.getMatchRules();
    Optional<JsonNode> ruleSchema = schema.ruleSchema();
    for (int i = 0; i < rules.size(); i++) {
      MatchRule rule = rules.get(i);
      String prefix = "matchRules[" + i + "].config";
      if (rule != null && rule.getConfig() != null && ruleSchema.isPresent()) {
        check(ruleSchema.get(), rule.getConfig(), prefix, errors);
      }
    }
    return errors;
  }

  private void check(
      JsonNode schemaNode, Map<String, Object> config, String prefix, List<ConfigError> out) {
    Schema schema = compiled.computeIfAbsent(schemaNode, registry::getSchema);
    JsonNode instance = JSON.valueToTree(config);
    schema.validate(instance).stream()
        .map(e -> toConfigError(prefix, e))
        .distinct()
        .sorted(Comparator.comparing(ConfigError::path))
        .forEach(out::add);
  }

  private static ConfigError toConfigError(String prefix, Error e) {
    String path = prefix + suffix(e.getInstanceLocation());
    String keyword = e.getKeyword() == null ? "" : e.getKeyword();
    return switch (keyword) {
      case "required" ->
          new ConfigError(
              e.getProperty() == null ? path : path + "." + e.getProperty(),
              "required property missing");
      case "type" -> new ConfigError(path, "must be " + expectedType(e));
      default -> new ConfigError(path, stripLocation(e));
    };
  }

  private static String expectedType(Error e) {
    JsonNode type = e.getSchemaNode();
    if (type != null && type.isTextual()) {
      return type.asText();
    }
    Object[] args = e.getArguments();
    return args != null && args.length > 1 ? String.valueOf(args[1]) : "of another type";
  }

  private static String stripLocation(Error e) {
    String m = e.getMessage();
    String loc = e.getInstanceLocation() == null ? null : e.getInstanceLocation().toString();
    if (loc != null && m.startsWith(loc + ": ")) {
      return m.substring(loc.length() + 2);
    }
    return m;
  }

  /** {@code $.a.b[0]} as {@code .a.b[0]}; the root as the empty string. */
  static String suffix(NodePath location) {
    if (location == null) {
      return "";
    }
    var sb = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        sb.append('[').append(index).append(']');
      } else {
        sb.append('.').append(element);
      }
    }
    return sb.toString();
  }
}

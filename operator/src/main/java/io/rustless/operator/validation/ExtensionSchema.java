package io.rustless.operator.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Optional;

/**
 * The config schemas of one extension, read from its {@code spec.yaml} (Higress console format):
 * {@code spec.configSchema.openAPIV3Schema} checks {@code defaultConfig}, and {@code
 * spec.routeConfigSchema.openAPIV3Schema} (or, when absent, the config schema) checks each match
 * rule's {@code config}.
 *
 * @param name the extension's name
 * @param configSchema schema of the global config; empty if the spec.yaml has none
 * @param routeConfigSchema schema of a rule config; empty to fall back to {@code configSchema}
 */
public record ExtensionSchema(
    String name, Optional<JsonNode> configSchema, Optional<JsonNode> routeConfigSchema) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Parses a spec.yaml; throws {@link CatalogueException} when it is not YAML. */
  public static ExtensionSchema parse(String name, String specYaml) {
    JsonNode root;
    try {
      root = YAML.readTree(specYaml);
    } catch (JsonProcessingException e) {
      throw new CatalogueException("spec.yaml of " + name + " is not valid YAML", e);
    }
    if (root == null || !root.isObject()) {
      throw new CatalogueException("spec.yaml of " + name + " is not a YAML mapping");
    }
    JsonNode spec = root.path("spec");
    return new ExtensionSchema(
        name, schemaAt(spec.path("configSchema")), schemaAt(spec.path("routeConfigSchema")));
  }

  private static Optional<JsonNode> schemaAt(JsonNode holder) {
    JsonNode schema = holder.path("openAPIV3Schema");
    return schema.isObject() ? Optional.of(schema) : Optional.empty();
  }

  /** The schema a match rule's config is checked against. */
  public Optional<JsonNode> ruleSchema() {
    return routeConfigSchema.isPresent() ? routeConfigSchema : configSchema;
  }
}

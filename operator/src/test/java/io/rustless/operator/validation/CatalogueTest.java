package io.rustless.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.WasmPluginSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue the operator ships: every {@code extensions/<name>/spec.yaml} of the repository is
 * packed into the jar, parses, and accepts its own documented examples. The test fixtures take the
 * same checks.
 */
class CatalogueTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Extension folders with a spec.yaml (none yet on a branch without them), plus the fixtures. */
  static Stream<Path> specs() throws IOException {
    var repo = Path.of("../extensions");
    var fixtures = Path.of("src/test/resources/catalogue");
    return Stream.concat(list(repo), list(fixtures));
  }

  private static Stream<Path> list(Path dir) throws IOException {
    try (var dirs = Files.list(dir)) {
      return dirs
          .filter(d -> Files.isRegularFile(d.resolve("spec.yaml")))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("specs")
  void specYamlParsesAndAcceptsItsOwnExamples(Path extension) throws IOException {
    String name = extension.getFileName().toString();
    Catalogue catalogue =
        extension.startsWith(Path.of("../extensions"))
            ? Catalogue.classpath()
            : Catalogue.directory(extension.getParent());

    ExtensionSchema schema =
        catalogue
            .find(name)
            .orElseThrow(() -> new AssertionError(name + " is not in the catalogue"));

    assertThat(schema.configSchema()).as(name + ": spec.configSchema.openAPIV3Schema").isPresent();
    var settings = new WasmPluginSettings();
    example(schema.configSchema()).ifPresent(settings::setDefaultConfig);
    example(schema.ruleSchema())
        .ifPresent(
            c ->
                settings.setMatchRules(
                    List.of(new MatchRule(null, List.of("example.com"), null, c, null))));
    assertThat(new ConfigValidator().validate(settings, schema)).as(name + " examples").isEmpty();
  }

  @Test
  void aConfigOfTheWrongShapeIsRejectedByEveryNonTrivialSchema() throws IOException {
    try (var all = specs()) {
      all.forEach(
          extension -> {
            String name = extension.getFileName().toString();
            var catalogue =
                extension.startsWith(Path.of("../extensions"))
                    ? Catalogue.classpath()
                    : Catalogue.directory(extension.getParent());
            var schema = catalogue.find(name).orElseThrow();
            JsonNode properties = schema.configSchema().orElseThrow().path("properties");
            properties
                .properties()
                .forEach(
                    p -> {
                      String type = p.getValue().path("type").asText();
                      Object wrong = "string".equals(type) ? (Object) 12345 : "not-a-" + type;
                      if (type.isEmpty()) {
                        return;
                      }
                      var settings = new WasmPluginSettings();
                      settings.setDefaultConfig(Map.of(p.getKey(), wrong));
                      assertThat(new ConfigValidator().validate(settings, schema))
                          .as(name + "." + p.getKey() + " given a wrong type")
                          .extracting(ConfigError::path)
                          .contains("defaultConfig." + p.getKey());
                    });
          });
    }
  }

  @SuppressWarnings("unchecked")
  private static Optional<Map<String, Object>> example(Optional<JsonNode> schema) {
    return schema
        .map(s -> s.get("example"))
        .filter(JsonNode::isObject)
        .map(e -> JSON.convertValue(e, Map.class));
  }
}

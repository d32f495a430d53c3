package io.rustless.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.WasmPluginSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {

  private static final Catalogue CATALOGUE =
      Catalogue.directory(Path.of("src/test/resources/catalogue"));

  private final ConfigValidator validator = new ConfigValidator();

  private static WasmPluginSettings settings(
      Map<String, Object> defaultConfig, MatchRule... rules) {
    var s = new WasmPluginSettings();
    s.setDefaultConfig(defaultConfig);
    s.setMatchRules(List.of(rules));
    return s;
  }

  private static MatchRule rule(Map<String, Object> config) {
    return new MatchRule(null, List.of("example.com"), null, config, null);
  }

  @Test
  void acceptsConfigThatFitsBothSchemas() {
    var greeter = CATALOGUE.find("greeter").orElseThrow();

    var errors =
        validator.validate(
            settings(Map.of("name", "Alice"), rule(Map.of("name", "Lucy"))), greeter);

    assertThat(errors).isEmpty();
  }

  @Test
  void namesTheMissingRequiredPropertyOfTheDefaultConfig() {
    var greeter = CATALOGUE.find("greeter").orElseThrow();

    var errors = validator.validate(settings(Map.of("nam", "typo")), greeter);

    assertThat(errors)
        .extracting(Object::toString)
        .containsExactly("defaultConfig.name: required property missing");
  }

  @Test
  void checksRuleConfigsAgainstTheRouteSchemaWithTheRuleIndex() {
    var greeter = CATALOGUE.find("greeter").orElseThrow();

    var errors =
        validator.validate(
            settings(Map.of("name", "Alice"), rule(Map.of("name", "ok")), rule(Map.of("name", 7))),
            greeter);

    assertThat(errors)
        .extracting(Object::toString)
        .containsExactly("matchRules[1].config.name: must be string");
  }

  @Test
  void fallsBackToTheConfigSchemaForRulesWhenThereIsNoRouteSchema() {
    var block = CATALOGUE.find("request-block").orElseThrow();

    var errors =
        validator.validate(
            settings(
                Map.of("blocked_code", 403),
                rule(Map.of("block_urls", List.of("a"))),
                rule(Map.of("blocked_code", "forbidden"))),
            block);

    assertThat(errors)
        .extracting(Object::toString)
        .containsExactly("matchRules[1].config.blocked_code: must be integer");
  }

  @Test
  void reportsRangeAndNestedItemErrorsWithTheirPath() {
    var block = CATALOGUE.find("request-block").orElseThrow();

    var errors =
        validator.validate(
            settings(Map.of("blocked_code", 42, "block_urls", List.of("ok", 5))), block);

    assertThat(errors)
        .extracting(ConfigError::path)
        .containsExactly("defaultConfig.block_urls[1]", "defaultConfig.blocked_code");
    assertThat(errors.get(0).message()).isEqualTo("must be string");
    assertThat(errors.get(1).message()).contains("100");
  }

  @Test
  void unknownExtensionIsEmptyAndBadYamlIsACatalogueError() {
    assertThat(CATALOGUE.find("no-such-extension")).isEmpty();
    assertThat(CATALOGUE.find("../etc")).isEmpty();

    var broken = Catalogue.of(Map.of("broken", "spec: [unclosed"));
    assertThatThrownBy(() -> broken.find("broken"))
        .isInstanceOf(CatalogueException.class)
        .hasMessageContaining("broken");
  }
}

package io.rustless.extensions.aiintent;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.extensions.aiintent.AiIntentConfig.Category;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of answer reading; every answer shape runs through the plugin in AnswerShapesTest. */
class IntentAnswerTest {
  private static final List<Category> CATEGORIES =
      List.of(
          new Category("intent-route", List.of("Finance", "E-commerce", "Law", "Others")),
          new Category(
              "disable-cache", List.of("Time-sensitive", "An innovative product", "Others")));

  private static final Category TIME = new Category("t", List.of("Time-sensitive", "Others"));

  private static List<String> read(String answer) {
    List<String> out = new ArrayList<>();
    for (IntentAnswer.Intent i : IntentAnswer.read(answer, CATEGORIES)) {
      out.add(i.useFor() + "=" + i.result());
    }
    return out;
  }

  @Test
  void aValueIsAnOptionOrContainsExactlyOne() {
    Category c = new Category("c", List.of("product", "An innovative product", "Law"));
    assertThat(IntentAnswer.option("Law", c)).isEqualTo("Law");
    assertThat(IntentAnswer.option(" LAW ", c)).isEqualTo("Law");
    assertThat(IntentAnswer.option("an_innovative-product", c)).isEqualTo("An innovative product");
    // an option inside a longer one that is contained too counts as the longer one
    assertThat(IntentAnswer.option("surely An innovative product!", c))
        .isEqualTo("An innovative product");
    assertThat(IntentAnswer.option("a product", c)).isEqualTo("product");
    assertThat(IntentAnswer.option("product or Law", c)).isNull();
    assertThat(IntentAnswer.option("Time_sensitive, clearly", TIME)).isEqualTo("Time-sensitive");
    // whole words only, except in scripts written without spaces
    assertThat(IntentAnswer.option("Lawn care", c)).isNull();
    assertThat(IntentAnswer.option("by-law", c)).isEqualTo("Law");
    assertThat(IntentAnswer.option("这是金融问题", new Category("c", List.of("金融", "法律"))))
        .isEqualTo("金融");
    assertThat(IntentAnswer.option("", c)).isNull();
  }

  @Test
  void pythonStyleLiteralsAreReadAsJson() {
    assertThat(IntentAnswer.relaxed("{'a': 'it\\'s \"x\"', 'b': True, 'c': [None, False,],}"))
        .hasToString("{\"a\":\"it's \\\"x\\\"\",\"b\":true,\"c\":[null,false]}");
    assertThat(IntentAnswer.relaxed("{\"a\": \"Don't\"}")).hasToString("{\"a\":\"Don't\"}");
    assertThat(IntentAnswer.relaxed("{'a': 'unterminated}")).isNull();
    assertThat(IntentAnswer.relaxed("{a: 1}")).isNull();
  }

  @Test
  void noVerdictWithoutCategoriesOrInProse() {
    assertThat(
            IntentAnswer.read("{\"use_for\":\"intent-route\",\"result\":\"Finance\"}", List.of()))
        .isEmpty();
    assertThat(read("Finance is what I would not say; Law neither.")).isEmpty();
    assertThat(read("```\n```")).isEmpty();
    assertThat(read("[{\"use_for\":1,\"result\":{}}]")).isEmpty();
  }

  @Test
  void decorationIsStripped() {
    assertThat(IntentAnswer.trimDecoration(" '`\"Finance\"`', ")).isEqualTo("Finance");
    assertThat(IntentAnswer.trimDecoration("**Time-sensitive**.")).isEqualTo("Time-sensitive");
    assertThat(IntentAnswer.stripFences("```json\n[1]\n```")).isEqualTo("[1]");
  }

  @Test
  void categoriesRenderAsYaml() {
    AiIntentConfig config =
        new AiIntentConfig(
            "${categories}",
            List.of(
                new Category("a", List.of("plain", "has: colon", "true", "12", " pad", "引号")),
                new Category("b", List.of())),
            null,
            null);
    assertThat(config.promptFor("q"))
        .isEqualTo(
            "- use_for: a\n  options:\n  - plain\n  - \"has: colon\"\n  - \"true\"\n  - \"12\"\n"
                + "  - \" pad\"\n  - 引号\n- use_for: b\n  options: []\n");
  }
}

package io.rustless.extensions.aiintent;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.extensions.aiintent.AiIntentConfig.Category;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shapes models answer in (Higress's test_message_to_intent_res covers 13 of them). */
class IntentAnswerTest {
  private static final List<Category> CATEGORIES =
      List.of(
          new Category("intent-route", List.of("Finance", "E-commerce", "Law", "Others")),
          new Category(
              "disable-cache", List.of("Time-sensitive", "An innovative product", "Others")));

  private static List<String> read(String answer) {
    List<String> out = new ArrayList<>();
    for (IntentAnswer.Intent i : IntentAnswer.read(answer, CATEGORIES)) {
      out.add(i.useFor() + "=" + i.result());
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // the shape the prompt asks for
        "```\n[\n{\"use_for\":\"intent-route\",\"result\":\"Finance\"},\n{\"use_for\":\"disable-cache\",\"result\":\"Time-sensitive\"}\n]\n```",
        "```json\n[{\"use_for\":\"intent-route\",\"result\":\"Finance\"},{\"use_for\":\"disable-cache\",\"result\":\"Time-sensitive\"}]\n```",
        "[{\"use_for\":\"intent-route\",\"result\":\"Finance\"},{\"use_for\":\"disable-cache\",\"result\":\"Time-sensitive\"}]",
        // one object per line, decorated
        "{\"use_for\":\"intent-route\",\"result\":\"Finance\"}\n{\"use_for\":\"disable-cache\",\"result\":\"Time-sensitive\"}",
        "'{\"use_for\":\"intent-route\",\"result\":\"Finance\"}',\n'{\"use_for\":\"disable-cache\",\"result\":\"Time-sensitive\"}'",
        "`{\"use_for\":\"intent-route\",\"result\":\"Finance\"}`\n`{\"use_for\":\"disable-cache\",\"result\":\"Time-sensitive\"}`",
        "  {\"use_for\": \"intent-route\", \"result\": \"Finance\"},  \n  {\"use_for\": \"disable-cache\", \"result\": \"Time-sensitive\"}  ",
        "Here you go:\n```json\n{\"use_for\":\"intent-route\",\"result\":\"Finance\"}\n{\"use_for\":\"disable-cache\",\"result\":\"Time-sensitive\"}\n```\nHope it helps.",
        "```[{\"use_for\":\"intent-route\",\"result\":\"Finance\"},{\"use_for\":\"disable-cache\",\"result\":\"Time-sensitive\"}]```",
        // a map, keys and values a little off
        "{\"intent-route\": \"Finance\", \"disable-cache\": \"Time-sensitive\"}",
        "{\"Intent_Route\": \"finance\", \"disable cache\": \"time sensitive\"}",
        // YAML-ish lines
        "intent-route: Finance\ndisable-cache: Time-sensitive",
        "- intent-route: \"Finance\"\n- disable-cache: 'Time-sensitive'",
        // a value wrapped in prose
        "[{\"use_for\":\"intent-route\",\"result\":\"It is Finance\"},{\"use_for\":\"disable-cache\",\"result\":\"Time-sensitive, clearly\"}]",
        // prose only
        "The question is about Finance and is Time-sensitive.",
      })
  void everyShapeGivesBothIntents(String answer) {
    assertThat(read(answer))
        .as(answer)
        .containsExactly("intent-route=Finance", "disable-cache=Time-sensitive");
  }

  @Test
  void valuesThatAreNoOptionAreDropped() {
    assertThat(read("[{\"use_for\":\"intent-route\",\"result\":\"Weather\"}]")).isEmpty();
    assertThat(read("[{\"use_for\":\"unknown\",\"result\":\"Finance\"}]"))
        .containsExactly("intent-route=Finance");
    assertThat(read("")).isEmpty();
    assertThat(read("```\n```")).isEmpty();
    assertThat(read("[{\"use_for\":1,\"result\":{}}]")).isEmpty();
  }

  @Test
  void theLongestContainedOptionWinsAndTheFirstMentionInProse() {
    Category c = new Category("c", List.of("product", "An innovative product"));
    assertThat(IntentAnswer.option("surely An innovative product!", c))
        .isEqualTo("An innovative product");
    assertThat(read("Others, maybe Law"))
        .containsExactly("intent-route=Others", "disable-cache=Others");
  }

  @Test
  void decorationIsStripped() {
    assertThat(IntentAnswer.trimDecoration(" '`{\"a\":1}`', ")).isEqualTo("{\"a\":1}");
    assertThat(IntentAnswer.trimDecoration("\"Finance\"")).isEqualTo("Finance");
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

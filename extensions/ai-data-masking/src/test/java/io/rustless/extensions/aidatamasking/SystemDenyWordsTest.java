package io.rustless.extensions.aidatamasking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in deny list is edited in {@code system-deny-words.txt} and compiled in as {@link
 * SystemDenyWords} (TeaVM's classic Wasm has no class-path resources). This test fails while the
 * Java source is stale; {@code -Drustless.regenerate=true} rewrites it.
 */
class SystemDenyWordsTest {
  static final String RESOURCE = "system-deny-words.txt";
  static final Path SOURCE =
      Path.of("src/main/java/io/rustless/extensions/aidatamasking/SystemDenyWords.java");

  static List<String> wordsFromResource() throws IOException {
    try (InputStream in = SystemDenyWordsTest.class.getResourceAsStream(RESOURCE)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> out = new ArrayList<>();
      for (String line : text.split("\n", -1)) {
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
          out.add(t);
        }
      }
      return out;
    }
  }

  @Test
  void compiledListIsTheResourceFile() throws IOException {
    List<String> words = wordsFromResource();
    if (Boolean.getBoolean("rustless.regenerate")) {
      Files.writeString(SOURCE, generate(words), StandardCharsets.UTF_8);
    }
    assertThat(SystemDenyWords.text())
        .as("SystemDenyWords.java is stale: run this test with -Drustless.regenerate=true")
        .isEqualTo(String.join("\n", words));
  }

  @Test
  void builtInWordsAreNormalisedAndDistinct() throws IOException {
    List<String> words = DenyWords.systemWords();
    assertThat(words).hasSize(wordsFromResource().size()).doesNotHaveDuplicates();
    for (String w : words) {
      assertThat(DenyWords.normalise(w)).isEqualTo(w);
    }
  }

  /** The Java source for {@code words}: parts of at most ~16 KB, one literal line per word. */
  static String generate(List<String> words) {
    StringBuilder sb = new StringBuilder();
    sb.append("package io.rustless.extensions.aidatamasking;\n\n")
        .append("/**\n")
        .append(
            " * The built-in deny list, generated from {@code system-deny-words.txt} (comments and blank\n")
        .append(" * lines dropped). Do not edit: change the text file, then run {@code mvn -pl\n")
        .append(" * extensions/ai-data-masking -am test -Dtest=SystemDenyWordsTest\n")
        .append(
            " * -Dsurefire.failIfNoSpecifiedTests=false -Drustless.regenerate=true} and {@code mvn\n")
        .append(
            " * spotless:apply}. TeaVM's classic Wasm target has no class-path resources, hence constants.\n")
        .append(" */\n")
        .append("final class SystemDenyWords {\n")
        .append("  private static final String[] PARTS = {\n");
    int size = 0;
    boolean open = false;
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i) + (i + 1 < words.size() ? "\\n" : "");
      if (!open) {
        sb.append("    ");
        open = true;
        size = 0;
      } else {
        sb.append("\n        + ");
      }
      sb.append('"')
          .append(words.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
          .append(i + 1 < words.size() ? "\\n" : "")
          .append('"');
      size += w.length() * 3;
      if (size > 16_000 && i + 1 < words.size()) {
        sb.append(",\n");
        open = false;
      }
    }
    sb.append("\n  };\n\n")
        .append("  private SystemDenyWords() {}\n\n")
        .append("  /** The words, one per line. */\n")
        .append("  static String text() {\n")
        .append("    return PARTS.length == 1 ? PARTS[0] : String.join(\"\", PARTS);\n")
        .append("  }\n")
        .append("}\n");
    return sb.toString();
  }
}

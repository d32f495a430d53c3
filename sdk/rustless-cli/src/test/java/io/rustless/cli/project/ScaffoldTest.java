package io.rustless.cli.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScaffoldTest {
  @TempDir Path root;

  private Workspace workspace(String modules) throws Exception {
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    Files.createDirectories(root.resolve("extensions/say-hello"));
    Files.writeString(root.resolve("extensions/say-hello/pom.xml"), "<project/>");
    Files.writeString(
        root.resolve("extensions/pom.xml"),
        "<project>\n  <parent>\n    <artifactId>rustless-parent</artifactId>\n"
            + "    <version>9.9.9</version>\n  </parent>\n  <modules>\n"
            + modules
            + "  </modules>\n</project>\n");
    return Workspace.find(root.resolve("extensions")).orElseThrow();
  }

  @Test
  void namesAreLowerCaseWordsWithDashes() {
    assertThat(Scaffold.validateName("my-plugin2")).isEqualTo("my-plugin2");
    for (String bad : new String[] {"My-Plugin", "-x", "x-", "a--b", "2fa", "a_b", "a.b", ""}) {
      assertThatThrownBy(() -> Scaffold.validateName(bad))
          .as(bad)
          .isInstanceOf(UsageException.class);
    }
    assertThatThrownBy(() -> Scaffold.validateName("a".repeat(31)))
        .hasMessageContaining("too long");
    assertThatThrownBy(() -> Scaffold.validateName("new")).hasMessageContaining("keyword");
    assertThat(Scaffold.className("ai-data-masking")).isEqualTo("AiDataMasking");
    assertThat(Scaffold.title("ai-data-masking")).isEqualTo("Ai Data Masking");
  }

  @Test
  void generatesEveryTemplateFileAndAddsTheModuleInOrder() throws Exception {
    Workspace ws = workspace("    <module>say-hello</module>\n    <module>zeta</module>\n");
    Scaffold.Created c = new Scaffold(ws).create("my-plugin");
    Path dir = root.resolve("extensions/my-plugin");
    assertThat(c.extension().dir()).isEqualTo(dir);
    assertThat(c.pluginClass()).isEqualTo("io.rustless.extensions.myplugin.MyPluginPlugin");
    for (String f :
        new String[] {
          "pom.xml",
          "README.md",
          "spec.yaml",
          "src/demo/config.json",
          "src/demo/requests.txt",
          "src/main/java/io/rustless/extensions/myplugin/MyPluginPlugin.java",
          "src/main/java/io/rustless/extensions/myplugin/MyPluginConfig.java",
          "src/test/java/io/rustless/extensions/myplugin/MyPluginPluginTest.java",
          "src/test/java/io/rustless/extensions/myplugin/MyPluginDocsTest.java"
        }) {
      assertThat(dir.resolve(f)).isRegularFile();
      assertThat(Files.readString(dir.resolve(f))).as(f).doesNotContain("__");
    }
    assertThat(Files.readString(dir.resolve("pom.xml")))
        .contains("<version>9.9.9</version>")
        .contains("<artifactId>my-plugin</artifactId>")
        .contains(
            "<rustless.pluginClass>io.rustless.extensions.myplugin.MyPluginPlugin</rustless.pluginClass>");
    assertThat(Files.readString(root.resolve("extensions/pom.xml")))
        .contains(
            "  <modules>\n    <module>my-plugin</module>\n    <module>say-hello</module>\n"
                + "    <module>zeta</module>\n  </modules>");
    assertThat(ws.extensions()).extracting(Extension::name).contains("my-plugin", "say-hello");
  }

  @Test
  void refusesAnExistingDirectory() throws Exception {
    Workspace ws = workspace("    <module>say-hello</module>\n");
    assertThatThrownBy(() -> new Scaffold(ws).create("say-hello"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("already exists");
  }

  @Test
  void noGeneratedJavaLineOutgrowsTheFormatterForTheLongestName() throws Exception {
    Workspace ws = workspace("    <module>say-hello</module>\n");
    String longest = "abcdefghij-klmnopqrst-uvwxyzabc";
    longest = longest.substring(0, Scaffold.MAX_NAME_LENGTH);
    new Scaffold(ws).create(longest);
    try (var files = Files.walk(root.resolve("extensions").resolve(longest))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f)) {
          assertThat(line.length()).as(f + ": " + line).isLessThanOrEqualTo(100);
        }
      }
    }
  }

  @Test
  void unknownExtensionListsTheKnownOnes() throws Exception {
    Workspace ws = workspace("    <module>say-hello</module>\n");
    assertThatThrownBy(() -> ws.extension("nope"))
        .isInstanceOf(UsageException.class)
        .hasMessage("unknown extension 'nope' (known: say-hello)");
  }
}

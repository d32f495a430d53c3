package io.rustless.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.BuilderImage;
import io.rustless.cli.project.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Dockerfiles and scripts, read as text: a fast check of the properties the operator and
 * Higress rely on. The images themselves are built by docker/build-images.sh and run for real by
 * the operator's BuilderImageTest and BuildPathEndToEndTest.
 */
class DockerfilesTest {
  private static final Path ROOT = Workspace.find(Path.of("")).orElseThrow().root();

  private static List<String> lines(String file) throws Exception {
    return Files.readAllLines(ROOT.resolve(file)).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  @Test
  void theBuilderIsDebianMultiStageOfflineAndNotRoot() throws Exception {
    List<String> l = lines("docker/builder.Dockerfile");
    assertThat(l).contains("ARG BASE_IMAGE=docker.io/library/debian:bookworm");
    assertThat(l.stream().filter(s -> s.startsWith("FROM "))).hasSizeGreaterThanOrEqualTo(2);
    assertThat(String.join("\n", l))
        .contains("openjdk-17-jdk-headless maven git")
        .contains("-DskipTests")
        .contains("clean install")
        .contains("DOCKER_CONFIG=" + BuilderImage.DOCKER_CONFIG_DIR);
    String user = l.stream().filter(s -> s.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertThat(user).isEqualTo("USER 10001:10001");
    assertThat(l.get(l.size() - 2)).isEqualTo("ENTRYPOINT [\"rustless\"]");
    assertThat(Files.readString(ROOT.resolve("docker/maven-settings.xml")))
        .contains("<offline>true</offline>")
        .contains("<localRepository>/opt/rustless/repository</localRepository>");
  }

  /**
   * Maven refuses a reactor whose listed module has no pom, even when {@code -pl} leaves it out: a
   * module added to the root pom and not copied breaks the builder and operator images at their
   * first build.
   */
  @Test
  void theImagesCopyEveryModuleTheRootPomLists() throws Exception {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    List<String> modules =
        java.util.regex.Pattern.compile("<module>([^<]+)</module>")
            .matcher(pom)
            .results()
            .map(m -> m.group(1))
            .toList();
    assertThat(modules).contains("sdk", "extensions");
    for (String file : List.of("docker/builder.Dockerfile", "docker/operator.Dockerfile")) {
      String docker = String.join("\n", lines(file));
      for (String module : modules) {
        assertThat(docker)
            .as("%s copies the root module %s", file, module)
            .containsPattern("COPY " + module + "(/ |/pom\\.xml )");
      }
    }
  }

  @Test
  void thePluginImageEndsWithScratchAndPluginWasm() throws Exception {
    List<String> l = lines("docker/plugin.Dockerfile");
    List<String> froms = l.stream().filter(s -> s.startsWith("FROM ")).toList();
    assertThat(froms.get(froms.size() - 1)).startsWith("FROM scratch");
    assertThat(l.get(l.size() - 1)).matches("COPY --from=\\S+ \\S+plugin\\.wasm \\./plugin\\.wasm");
    assertThat(Files.readString(ROOT.resolve(".dockerignore"))).contains("**/target/");
  }

  @Test
  void theScriptsAreValidShell() throws Exception {
    for (String[] check :
        List.of(
            new String[] {"sh", "rustless"},
            new String[] {"sh", "docker/rustless-launcher.sh"},
            new String[] {"bash", "docker/build-images.sh"})) {
      Path script = ROOT.resolve(check[1]);
      assertThat(Files.isExecutable(script)).as(check[1]).isTrue();
      Process p =
          new ProcessBuilder(check[0], "-n", script.toString()).redirectErrorStream(true).start();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }
  }

  @Test
  void theJobCommandLinesParse() {
    List<String> extension = BuilderImage.publishExtension("say-hello", "r.io/p/say-hello:1");
    List<String> git =
        BuilderImage.publishGit(
            "https://git.example.com/x.git", "abc123", "extensions/x", "r.io/p/x:1");
    for (List<String> args : List.of(extension, git)) {
      assertThat(args.get(0)).isEqualTo("publish");
      new CommandLine(new PublishCommand())
          .parseArgs(args.subList(1, args.size()).toArray(String[]::new));
    }
  }
}

package io.rustless.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MavenBuildTest {
  @Test
  void progressKeepsModulesRustlessLinesAndRealErrors() {
    assertThat(
            MavenBuild.progressLine(
                "[INFO] Building Rustless :: extensions :: say-hello 0.1.0-SNAPSHOT             [9/9]"))
        .isEqualTo("[9/9] Rustless :: extensions :: say-hello");
    assertThat(MavenBuild.progressLine("[INFO] Building say-hello 0.1.0-SNAPSHOT"))
        .isEqualTo("say-hello");
    assertThat(
            MavenBuild.progressLine(
                "[INFO] Compiling io.x.P to Wasm with TeaVM (heap 4 MiB, ABI 0.2.100, portable exceptions)"))
        .isEqualTo(
            "  Compiling io.x.P to Wasm with TeaVM (heap 4 MiB, ABI 0.2.100, portable exceptions)");
    assertThat(MavenBuild.progressLine("[INFO] Wrote /x/target/plugin.wasm: 149 KiB, 12 imports"))
        .startsWith("  Wrote");
    assertThat(MavenBuild.progressLine("[ERROR] /x/P.java:[3,1] cannot find symbol"))
        .isEqualTo("error: /x/P.java:[3,1] cannot find symbol");
    assertThat(MavenBuild.progressLine("[ERROR] -> [Help 1]")).isNull();
    assertThat(MavenBuild.progressLine("[INFO] --- maven-jar-plugin:3.4.2:jar ---")).isNull();
    assertThat(MavenBuild.progressLine("[INFO] Building jar: /x/target/x-0.1.0.jar")).isNull();
  }

  @Test
  void commandLineBuildsTheModulesWithWhatTheyNeed() {
    MavenBuild b =
        MavenBuild.builder()
            .directory(Path.of("."))
            .projects(List.of("extensions/a", "extensions/b"))
            .offline(true)
            .executable("mvn")
            .build();
    assertThat(b.commandLine())
        .isEqualTo("mvn -B -ntp -o -pl extensions/a,extensions/b -am -DskipTests package");
  }
}

package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The committed CRD copies must be what the build generates from the Java classes. */
class CrdUpToDateTest {

  private static final String FILE = "rustlesswasmpluginsources.rustless.io-v1.yml";
  private static final String POLICY_FILE = "rustlesspolicies.rustless.io-v1.yml";

  @ParameterizedTest
  @CsvSource({
    "../crds/, " + FILE,
    "../helm/rustless-operator/crds/, " + FILE,
    "../crds/, " + POLICY_FILE,
    "../helm/rustless-operator/crds/, " + POLICY_FILE
  })
  void committedCrdMatchesTheGeneratedOne(String folder, String file) throws IOException {
    String generated;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + file)) {
      assertThat(in).as("the crd-generator output on the classpath").isNotNull();
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path committed = Path.of(folder + file);
    assertThat(committed).as(committed + " exists").exists();

    assertThat(Files.readString(committed))
        .as(
            committed
                + " is out of date with the Java CRD classes. Regenerate and commit it:"
                + " mvn -pl operator -Pupdate-crds process-classes")
        .isEqualTo(generated);
  }

  @Test
  void generatedCrdHasTheContractedNamesAndColumns() throws IOException {
    String crd = Files.readString(Path.of("../crds/" + FILE));
    assertThat(crd)
        .contains("group: rustless.io")
        .contains("kind: RustlessWasmPluginSource")
        .contains("- rwps")
        .contains("scope: Namespaced")
        .contains("name: v1alpha1")
        .contains("status: {}")
        .contains("jsonPath: .status.conditions[?(@.type==\"Ready\")].status");
    String policy = Files.readString(Path.of("../crds/" + POLICY_FILE));
    assertThat(policy)
        .contains("kind: RustlessPolicy")
        .contains("scope: Cluster")
        .contains("- rwpolicy");
  }
}

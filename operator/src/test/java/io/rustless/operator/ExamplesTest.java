package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.higress.WasmPluginSchema;
import io.rustless.operator.policy.RustlessPolicy;
import io.rustless.operator.validation.Admission;
import io.rustless.operator.validation.Catalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample in examples/ is admitted as it stands: by the operator's default settings, the
 * example RustlessPolicy, the catalogue's config schemas and the Higress WasmPlugin CRD.
 */
class ExamplesTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static {
    SERIALIZATION.registerKubernetesResource(RustlessWasmPluginSource.class);
    SERIALIZATION.registerKubernetesResource(RustlessPolicy.class);
  }

  static Stream<Path> examples() throws IOException {
    return Files.list(Path.of("../examples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  private static List<?> items(Path file) throws IOException {
    Object parsed = SERIALIZATION.unmarshal(Files.readString(file));
    return parsed instanceof List<?> list ? list : List.of(parsed);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleIsAdmitted(Path file) throws IOException {
    var items = items(file);
    var sources =
        items.stream()
            .filter(RustlessWasmPluginSource.class::isInstance)
            .map(RustlessWasmPluginSource.class::cast)
            .toList();
    if (file.getFileName().toString().equals("policy.yaml")) {
      assertThat(items).allMatch(RustlessPolicy.class::isInstance);
      return;
    }
    assertThat(sources).as(file + " holds a RustlessWasmPluginSource").isNotEmpty();
    var policies =
        items(Path.of("../examples/policy.yaml")).stream().map(RustlessPolicy.class::cast).toList();
    var crd =
        SERIALIZATION.unmarshal(
            Files.readString(Path.of("../crds/wasmplugins.extensions.higress.io.yaml")),
            io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
    var admission = new Admission(OperatorConfig.builder().build(), Catalogue.classpath());

    for (var source : sources) {
      assertThat(source.getMetadata().getNamespace()).isNotBlank();
      assertThat(((HasMetadata) source).getMetadata().getName()).isNotBlank();
      var verdict =
          admission.check(source, new Admission.World(policies, WasmPluginSchema.from(crd)));
      assertThat(verdict).as(file + ": " + verdict).isInstanceOf(Admission.Verdict.Admitted.class);
    }
  }
}

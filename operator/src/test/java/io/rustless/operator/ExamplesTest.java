package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.rustless.operator.build.BuildInputs;
import io.rustless.operator.build.SourceRef;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.validation.Catalogue;
import io.rustless.operator.validation.ConfigValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample in examples/ is a well-formed source the operator would accept. */
class ExamplesTest {

  static Stream<Path> examples() throws IOException {
    return Files.list(Path.of("../examples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleIsAValidSource(Path file) throws IOException {
    var serialization = new KubernetesSerialization();
    serialization.registerKubernetesResource(RustlessWasmPluginSource.class);
    Object parsed = serialization.unmarshal(Files.readString(file));
    List<?> items = parsed instanceof List<?> list ? list : List.of(parsed);
    var sources =
        items.stream()
            .filter(RustlessWasmPluginSource.class::isInstance)
            .map(RustlessWasmPluginSource.class::cast)
            .toList();
    assertThat(sources).as(file + " holds a RustlessWasmPluginSource").isNotEmpty();

    for (var source : sources) {
      var inputs = BuildInputs.from(source.getSpec(), OperatorConfig.builder().build());
      assertThat(source.getMetadata().getNamespace()).isNotBlank();
      assertThat(((HasMetadata) source).getMetadata().getName()).isNotBlank();
      // Catalogue extensions are checked against their spec.yaml, once the repo ships it.
      if (inputs.source() instanceof SourceRef.Extension ext) {
        Catalogue.classpath()
            .find(ext.name())
            .ifPresent(
                schema ->
                    assertThat(
                            new ConfigValidator()
                                .validate(source.getSpec().getWasmPlugin(), schema))
                        .as(file + " config against " + ext.name() + "/spec.yaml")
                        .isEmpty());
      }
    }
  }
}

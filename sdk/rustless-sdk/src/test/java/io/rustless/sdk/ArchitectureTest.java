package io.rustless.sdk;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The SDK's layers hold: {@code lang} ← {@code host} ← {@code api} ← {@code higress}, each using
 * only the ones below it, and the ABI layer ({@code internal}, {@code internal.abi}, {@code jvm}),
 * which implements the API's seams, used by none of them.
 */
class ArchitectureTest {
  static {
    // the rules look at package names only: no need to load what the classes refer to
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
  }

  private static final JavaClasses SDK =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.rustless.sdk");

  /** The rule; {@code lang} includes the root package (the SDK's base exception). */
  static ArchRule layers() {
    return layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("lang")
        .definedBy("io.rustless.sdk", "io.rustless.sdk.lang..")
        .layer("host")
        .definedBy("io.rustless.sdk.host..")
        .layer("api")
        .definedBy("io.rustless.sdk.api..")
        .layer("higress")
        .definedBy("io.rustless.sdk.higress..")
        .layer("abi")
        .definedBy("io.rustless.sdk.internal..", "io.rustless.sdk.jvm..")
        .whereLayer("abi")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("higress")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("api")
        .mayOnlyBeAccessedByLayers("higress", "abi")
        .whereLayer("host")
        .mayOnlyBeAccessedByLayers("api", "higress", "abi")
        .whereLayer("lang")
        .mayOnlyBeAccessedByLayers("host", "api", "higress", "abi");
  }

  @Test
  void eachLayerUsesOnlyTheOnesBelowAndNoneUsesTheAbiLayer() {
    layers().check(SDK);
  }

  @Test
  void theRuleCatchesAnApiClassThatReachesIntoTheDispatcher() {
    // with the test classes, which hold an API class that uses the dispatcher
    JavaClasses withViolation = new ClassFileImporter().importPackages("io.rustless.sdk");
    assertThatThrownBy(() -> layers().check(withViolation))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ReachesIntoInternal")
        .hasMessageContaining("io.rustless.sdk.internal.Dispatcher");
  }
}

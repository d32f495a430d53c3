package io.rustless.conformance;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The conformance plugins are plugins like any other: they use the SDK's public layers only. */
class PublicSdkTest {
  @Test
  void thePluginsUseNothingOfTheAbiLayer() {
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.rustless.sdk.internal..", "io.rustless.sdk.jvm..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rustless.conformance"));
  }
}

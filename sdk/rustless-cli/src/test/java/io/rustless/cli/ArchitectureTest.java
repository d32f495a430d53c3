package io.rustless.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The tools around the SDK (the Wasm reader, the build, the host, the test kit and this CLI) use
 * none of the SDK's ABI layer, except the host's JVM engine, which runs a plugin's classes through
 * the SDK's one entry for that ({@code io.rustless.sdk.jvm}).
 */
class ArchitectureTest {
  static {
    // the rules look at package names only: no need to load what the classes refer to
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
  }

  private static final JavaClasses TOOLS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(
              "io.rustless.wasm",
              "io.rustless.build",
              "io.rustless.host",
              "io.rustless.testing",
              "io.rustless.cli");

  @Test
  void noToolUsesTheSdksInternals() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.rustless.sdk.internal..")
        .check(TOOLS);
  }

  @Test
  void onlyTheHostsJvmEngineRunsPluginClasses() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.rustless.host.jvm..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.rustless.sdk.jvm..")
        .check(TOOLS);
  }

  @Test
  void theCliRunsPluginsInTheHostNotInTheTestKit() {
    noClasses()
        .that()
        .resideInAPackage("io.rustless.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.rustless.testing..", "org.junit..")
        .check(TOOLS);
  }
}

package io.rustless.testing.docs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.higress.config.ConfigParser;
import io.rustless.testing.DualModeTest;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The checks every extension's docs get, written once: extend it from the extension's {@code
 * …DocsTest} (annotated {@code @RustlessTest(plugin = …)}) and add the extension's own. It holds
 * {@code spec.yaml} to the console's structure and the README's configuration table to the spec,
 * every documented default to the code's, every README and spec example to a plugin that accepts it
 * (in every mode), and the extension's code to the SDK's public layers.
 *
 * <pre>{@code
 * @RustlessTest(plugin = SayHelloPlugin.class)
 * class SayHelloDocsTest extends ExtensionDocsTest {
 *   SayHelloDocsTest() {
 *     super(3, SayHelloConfig::parse, "{\"name\": \"x\"}");
 *   }
 * }
 * }</pre>
 */
public abstract class ExtensionDocsTest {
  /** The extension's README.md and spec.yaml (Maven runs tests from the extension's folder). */
  protected final ExtensionDocs docs = ExtensionDocs.current();

  private final int readmeExamples;
  private final ConfigParser<? extends Record> parser;
  private final String minimalConfiguration;

  /**
   * Docs whose README shows {@code readmeExamples} WasmPlugin examples, and whose documented
   * defaults are those {@code parser} gives {@code minimalConfiguration} (the smallest
   * configuration it accepts).
   */
  protected ExtensionDocsTest(
      int readmeExamples, ConfigParser<? extends Record> parser, String minimalConfiguration) {
    this.readmeExamples = readmeExamples;
    this.parser = parser;
    this.minimalConfiguration = minimalConfiguration;
  }

  /** Docs of an extension without configuration defaults to hold to the code. */
  protected ExtensionDocsTest(int readmeExamples) {
    this(readmeExamples, null, null);
  }

  @Test
  void specIsWellFormedAndMatchesTheReadmeTable() {
    docs.assertSpecWellFormed();
    docs.assertReadmeTableMatchesSpec();
    if (parser != null) {
      docs.assertDefaultsMatch(parser, minimalConfiguration);
    }
  }

  @DualModeTest
  void everyReadmeExampleConfiguresThePlugin(PluginHarness plugin) {
    if (docs.wasmPluginExamples().size() != readmeExamples) {
      throw new AssertionError(
          "README.md shows "
              + docs.wasmPluginExamples().size()
              + " WasmPlugin examples, the test expects "
              + readmeExamples);
    }
    for (WasmPluginExample example : docs.wasmPluginExamples()) {
      assertStarts(plugin, example.pluginConfiguration(), "README example " + example.name());
    }
  }

  @DualModeTest
  void specExamplesConfigureThePlugin(PluginHarness plugin) {
    assertStarts(plugin, docs.configExample(), "spec.yaml's configSchema example");
    docs.routeConfigExample()
        .ifPresent(
            route ->
                assertStarts(
                    plugin,
                    ExtensionDocs.asRouteRule(route),
                    "spec.yaml's routeConfigSchema example, as a _rules_ entry"));
  }

  /**
   * The extension's code uses the SDK's public layers only: nothing of its ABI layer ({@code
   * io.rustless.sdk.internal}, {@code io.rustless.sdk.jvm}), which may change without notice.
   */
  @Test
  void usesOnlyThePublicSdk() {
    Path classes = Path.of("target", "classes");
    if (!Files.isDirectory(classes)) {
      throw new AssertionError(classes.toAbsolutePath() + " does not exist: compile first");
    }
    // the rule looks at package names only: no need to load what the classes refer to
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    JavaClasses extension = new ClassFileImporter().importPath(classes);
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.rustless.sdk.internal..", "io.rustless.sdk.jvm..")
        .because("the SDK's ABI layer is not part of its API")
        .check(extension);
  }

  private static void assertStarts(PluginHarness plugin, String configuration, String what) {
    try (TestHost host = plugin.start(configuration)) {
      if (host.startStatus() != StartStatus.OK) {
        throw new AssertionError(
            what + " does not configure the plugin: " + configuration + "\n" + host.getLogs());
      }
    }
  }
}

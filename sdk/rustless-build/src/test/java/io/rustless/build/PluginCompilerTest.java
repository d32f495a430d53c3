package io.rustless.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.build.fixture.ForbiddenImportPlugin;
import io.rustless.build.fixture.GreeterPlugin;
import io.rustless.build.fixture.HeaderPlugin;
import io.rustless.build.fixture.WrapperPlugin;
import io.rustless.build.wasm.AbiVersion;
import io.rustless.build.wasm.ModuleCheck;
import io.rustless.wasm.WasmModuleBinary;
import io.rustless.wasm.WasmModuleBinary.Export;
import io.rustless.wasm.WasmModuleBinary.MemoryLimits;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles fixture plugins with the real TeaVM and checks the module that comes out. */
class PluginCompilerTest {
  @TempDir Path dir;

  private final List<String> log = new ArrayList<>();

  private static List<Path> pluginClasspath() {
    List<Path> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.contains("rustless-sdk")
          || entry.contains("teavm-interop")
          || entry.endsWith("test-classes")) {
        out.add(Path.of(entry));
      }
    }
    return out;
  }

  private PluginCompiler.Builder compiler(Class<?> plugin, String output) {
    return PluginCompiler.builder()
        .pluginClass(plugin.getName())
        .classpath(pluginClasspath())
        .output(dir.resolve(output))
        .workDirectory(dir.resolve(output + "-work"))
        .log(
            new BuildLog() {
              @Override
              public void info(String message) {
                log.add("INFO " + message);
              }

              @Override
              public void warn(String message) {
                log.add("WARN " + message);
              }

              @Override
              public void error(String message) {
                log.add("ERROR " + message);
              }
            });
  }

  @Test
  void buildsAProxyWasmModuleAndThenKnowsItIsUpToDate() throws Exception {
    PluginCompiler.Result first = compiler(HeaderPlugin.class, "plugin.wasm").build().compile();
    assertThat(first.upToDate()).isFalse();
    byte[] bytes = Files.readAllBytes(first.output());
    assertThat(first.size()).isEqualTo(bytes.length);

    WasmModuleBinary module = WasmModuleBinary.parse(bytes);
    assertThat(ModuleCheck.of(module).errors()).isEmpty();
    assertThat(module.memories())
        .allMatch(m -> m.max() < 0)
        .extracting(MemoryLimits::min)
        .isNotEmpty();
    List<String> exports = module.exports().stream().map(Export::name).toList();
    assertThat(exports)
        .contains(
            "memory",
            "_initialize",
            "proxy_on_memory_allocate",
            "proxy_on_request_headers",
            AbiVersion.V0_2_100.marker())
        .doesNotContain("_start", "start")
        .noneMatch(e -> e.startsWith("teavm_"));
    assertThat(first.imports())
        .contains("env.proxy_add_header_map_value")
        .noneMatch(i -> i.contains("args_"));
    assertThat(log).anyMatch(l -> l.startsWith("INFO Wrote ") && l.contains(" B ("));

    PluginCompiler.Result second = compiler(HeaderPlugin.class, "plugin.wasm").build().compile();
    assertThat(second.upToDate()).isTrue();
    assertThat(Files.readAllBytes(second.output())).isEqualTo(bytes);
    assertThat(log).anyMatch(l -> l.startsWith("INFO plugin.wasm is up to date"));
  }

  @Test
  void renamesTheAbiMarkerForPlainEnvoy() throws Exception {
    PluginCompiler.Result r =
        compiler(HeaderPlugin.class, "envoy.wasm").abiVersion(AbiVersion.V0_2_1).build().compile();
    List<String> exports =
        WasmModuleBinary.parse(Files.readAllBytes(r.output())).exports().stream()
            .map(Export::name)
            .toList();
    assertThat(exports)
        .contains("proxy_abi_version_0_2_1")
        .doesNotContain("proxy_abi_version_0_2_100");
  }

  @Test
  void refusesAModuleThatImportsWhatNoProxyProvides() {
    assertThatThrownBy(() -> compiler(ForbiddenImportPlugin.class, "bad.wasm").build().compile())
        .isInstanceOf(PluginBuildException.class)
        .hasMessageContaining("the module would not load in Envoy/Higress:")
        .hasMessageContaining(
            "it imports env.abort, which no proxy provides (only env.proxy_* and WASI)");
    assertThat(dir.resolve("bad.wasm")).doesNotExist();
  }

  @Test
  void enforcesTheSizeBudget() {
    assertThatThrownBy(
            () -> compiler(HeaderPlugin.class, "big.wasm").maxModuleSize(10_000).build().compile())
        .isInstanceOf(PluginBuildException.class)
        .hasMessageContaining("over its budget of 10,000 B");
  }

  @Test
  void sameSourcesGiveTheSameBytesWhateverThisJvmCompiledBefore() throws Exception {
    // in one JVM, TeaVM 0.13.1 compiled the first module differently after the second (function
    // order follows identity hash codes); see ForkedTeaVm
    compiler(GreeterPlugin.class, "first.wasm").build().compile();
    compiler(WrapperPlugin.class, "other.wasm").build().compile();
    for (int i = 0; i < 100_000; i++) {
      new Object().hashCode(); // moves this thread's identity-hash sequence along
    }
    compiler(GreeterPlugin.class, "second.wasm").build().compile();

    assertThat(Files.readAllBytes(dir.resolve("second.wasm")))
        .isEqualTo(Files.readAllBytes(dir.resolve("first.wasm")));
  }

  @Test
  void explainsAMissingPluginClassAndBadSettings() {
    assertThatThrownBy(
            () ->
                PluginCompiler.builder()
                    .pluginClass("com.example.Missing")
                    .classpath(pluginClasspath())
                    .output(dir.resolve("m.wasm"))
                    .build()
                    .compile())
        .isInstanceOf(PluginBuildException.class)
        .hasMessageContaining("com.example.Missing");
    assertThatThrownBy(
            () -> compiler(HeaderPlugin.class, "h.wasm").heapSize(1000).build().compile())
        .hasMessage("heap size 1000 is out of range (use 1m to 1g, e.g. 4m)");
    assertThatThrownBy(
            () ->
                PluginCompiler.builder()
                    .pluginClass(HeaderPlugin.class.getName())
                    .classpath(List.of(dir))
                    .output(dir.resolve("n.wasm"))
                    .build()
                    .compile())
        .hasMessageContaining("rustless-sdk is not on the plugin's classpath");
  }
}

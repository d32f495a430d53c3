package io.rustless.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.wasm.WasmModuleBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The conformance module imports every host function the SDK declares, so the Wasm-mode suite
 * (which drives each of them) covers the whole ABI surface.
 */
class ImportCoverageTest {
  private static final Path IMPORTS =
      Path.of("../rustless-sdk/src/main/java/io/rustless/sdk/internal/abi/Imports.java");

  @Test
  void everyDeclaredImportIsInTheModule() throws Exception {
    Set<String> declared = new TreeSet<>();
    Matcher m = Pattern.compile("name = \"(proxy_[a-z_]+)\"").matcher(Files.readString(IMPORTS));
    while (m.find()) {
      declared.add(m.group(1));
    }
    assertThat(declared).hasSizeGreaterThan(35);
    Set<String> imported = new TreeSet<>();
    for (WasmModuleBinary.Import i :
        WasmModuleBinary.parse(Files.readAllBytes(Path.of("target/plugin.wasm"))).imports()) {
      imported.add(i.name());
    }
    assertThat(imported).containsAll(declared);
  }
}

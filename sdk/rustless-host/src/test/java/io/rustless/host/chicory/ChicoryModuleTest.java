package io.rustless.host.chicory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.host.state.SharedState;
import io.rustless.host.state.VmState;
import io.rustless.wasm.ModuleAssembler;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the host refuses to load, and the messages that say why. */
class ChicoryModuleTest {

  @Test
  void bytesThatAreNotAModuleAreRefusedByName() {
    assertThatThrownBy(
            () ->
                ChicoryModule.of(
                    "not wasm".getBytes(StandardCharsets.UTF_8),
                    ChicoryModule.Engine.INTERPRETER,
                    "notes.txt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("notes.txt is not a module this host can load");
  }

  @Test
  void aModuleWithoutAnAbiMarkerIsRefusedAsEnvoyRefusesIt() {
    byte[] module = new ModuleAssembler().export("memory", "_initialize").build();
    assertThatThrownBy(
            () -> ChicoryModule.of(module, ChicoryModule.Engine.INTERPRETER, "plain.wasm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "plain.wasm declares no proxy-wasm ABI version (no proxy_abi_version_* export): not a"
                + " proxy-wasm module");
  }

  @Test
  void aModuleThatImportsWhatNoProxyProvidesFailsToLinkNamingTheImport() {
    byte[] module =
        new ModuleAssembler()
            .importFunction("env", "proxy_log", "iii:i")
            .importFunction("env", "proxy_not_in_the_abi", "i:i")
            .export("memory", "proxy_abi_version_0_2_100")
            .build();
    ChicoryModule loaded = ChicoryModule.of(module, ChicoryModule.Engine.INTERPRETER, "odd.wasm");
    assertThatThrownBy(() -> loaded.instantiate(new VmState(new SharedState())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "imports env.proxy_not_in_the_abi, which the Rustless host does not provide");
  }

  @Test
  void theCacheKeepsABoundedNumberOfModulesAndTheSameContentIsCompiledOnce() {
    byte[] first = variant(-1);
    ChicoryModule kept = ChicoryModule.of(first, ChicoryModule.Engine.INTERPRETER, "first.wasm");
    assertThat(ChicoryModule.of(first.clone(), ChicoryModule.Engine.INTERPRETER, "again.wasm"))
        .isSameAs(kept);
    for (int i = 0; i < ChicoryModule.CACHE_SIZE + 8; i++) {
      ChicoryModule.of(variant(i), ChicoryModule.Engine.INTERPRETER, "v" + i + ".wasm");
      assertThat(ChicoryModule.cachedModules()).isLessThanOrEqualTo(ChicoryModule.CACHE_SIZE);
    }
    // The oldest went: the same bytes are compiled anew, and still load.
    ChicoryModule again = ChicoryModule.of(first, ChicoryModule.Engine.INTERPRETER, "first.wasm");
    assertThat(again).isNotSameAs(kept);
    assertThat(again.instantiate(new VmState(new SharedState()))).isNotNull();
  }

  private static byte[] variant(int n) {
    return new ModuleAssembler()
        .export("memory", "proxy_abi_version_0_2_100")
        .data(16, Integer.toString(n).getBytes(StandardCharsets.UTF_8))
        .build();
  }
}

package io.rustless.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModeTest {
  @AfterEach
  void clear() {
    System.clearProperty("rustless.test.modes");
  }

  @Test
  void allThreeModesRunByDefault() {
    assertThat(Mode.enabled()).containsExactly(Mode.JVM, Mode.WASM, Mode.V8);
  }

  @Test
  void thePropertySelectsModesInAnyCaseWithSpaces() {
    System.setProperty("rustless.test.modes", " V8 , jvm,");
    assertThat(Mode.enabled()).containsExactly(Mode.V8, Mode.JVM);
  }

  @Test
  void anUnknownModeFailsNamingTheChoices() {
    System.setProperty("rustless.test.modes", "jvm,chicory");
    assertThatThrownBy(Mode::enabled)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "-Drustless.test.modes=jvm,chicory: unknown mode 'chicory' (the modes are jvm, wasm,"
                + " v8)");
  }

  @Test
  void harnessesFollowTheSelection() {
    System.setProperty("rustless.test.modes", "wasm,v8");
    assertThat(PluginHarness.enabled(Object.class, Path.of("p.wasm")))
        .extracting(PluginHarness::toString)
        .containsExactly("wasm:p.wasm", "v8:p.wasm");
    assertThatThrownBy(() -> PluginHarness.module(Mode.JVM, Path.of("p.wasm")))
        .hasMessageContaining("does not run a module");
  }

  @Test
  void aMissingModuleSaysHowToBuildItInEveryModuleMode() {
    for (Mode mode : new Mode[] {Mode.WASM, Mode.V8}) {
      assertThatThrownBy(() -> PluginHarness.module(mode, Path.of("target/none.wasm")).module())
          .hasMessageContaining("target/none.wasm does not exist")
          .hasMessageContaining("-Drustless.test.modes=jvm");
    }
  }
}

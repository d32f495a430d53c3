package io.rustless.testing;

import io.rustless.host.chicory.ChicoryModule;
import io.rustless.host.engine.PluginModule;
import io.rustless.host.jvm.JvmPluginModule;
import io.rustless.v8.V8UnavailableException;
import io.rustless.v8.host.V8PluginModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A plugin under test in one {@link Mode}: creates {@link TestHost}s. The JUnit extension hands one
 * to each {@link DualModeTest} invocation; tools can build one directly.
 */
public final class PluginHarness {
  private final Class<?> pluginClass;
  private final Path wasm;
  private final Mode mode;

  private PluginHarness(Class<?> pluginClass, Path wasm, Mode mode) {
    this.pluginClass = pluginClass;
    this.wasm = wasm;
    this.mode = Objects.requireNonNull(mode);
  }

  /** JVM mode: {@code pluginClass}'s {@code main} registers the plugin. */
  public static PluginHarness jvm(Class<?> pluginClass) {
    return new PluginHarness(Objects.requireNonNull(pluginClass), null, Mode.JVM);
  }

  /** Wasm mode: the module at {@code wasm}, in Chicory. */
  public static PluginHarness wasm(Path wasm) {
    return module(Mode.WASM, wasm);
  }

  /** V8 mode: the module at {@code wasm}, in V8. */
  public static PluginHarness v8(Path wasm) {
    return module(Mode.V8, wasm);
  }

  /** The module at {@code wasm} in {@code mode}'s engine ({@link Mode#WASM} or {@link Mode#V8}). */
  public static PluginHarness module(Mode mode, Path wasm) {
    if (!mode.runsModule()) {
      throw new IllegalArgumentException(mode + " does not run a module");
    }
    return new PluginHarness(null, Objects.requireNonNull(wasm), mode);
  }

  /**
   * The plugin in every mode {@code -Drustless.test.modes} enables, for tests that loop over the
   * modes themselves (e.g. parameterized ones).
   */
  public static java.util.List<PluginHarness> enabled(Class<?> pluginClass, Path wasm) {
    java.util.List<PluginHarness> out = new java.util.ArrayList<>();
    for (Mode m : Mode.enabled()) {
      out.add(m == Mode.JVM ? jvm(pluginClass) : module(m, wasm));
    }
    return out;
  }

  public Mode mode() {
    return mode;
  }

  /** A host with {@code pluginConfigurationJson}, started. */
  public TestHost start(String pluginConfigurationJson) {
    return host().pluginConfiguration(pluginConfigurationJson).start();
  }

  /** A builder for a host with more options (VM configuration, properties, log level, clock). */
  public TestHost.Builder host() {
    return TestHost.builder(this);
  }

  /** The plugin as the host loads it: its classes (JVM mode) or its module (wasm, v8). */
  public PluginModule module() {
    if (mode == Mode.JVM) {
      return JvmPluginModule.of(pluginClass);
    }
    if (!Files.isRegularFile(wasm)) {
      throw new IllegalStateException(
          wasm.toAbsolutePath()
              + " does not exist: build it first (mvn process-classes runs rustless:wasm), or run"
              + " only JVM mode with -Drustless.test.modes=jvm");
    }
    if (mode == Mode.WASM) {
      return ChicoryModule.load(wasm);
    }
    try {
      return V8PluginModule.load(wasm);
    } catch (V8UnavailableException e) {
      // fails, never skips: a test run that silently lost its V8 mode would look green
      throw new IllegalStateException(
          e.getMessage()
              + " The v8 test mode cannot run here; run the other modes with"
              + " -Drustless.test.modes=jvm,wasm",
          e);
    }
  }

  @Override
  public String toString() {
    return mode.label() + ":" + (mode == Mode.JVM ? pluginClass.getName() : wasm);
  }
}

package io.rustless.testing;

import io.rustless.host.chicory.ChicoryModule;
import io.rustless.host.engine.PluginModule;
import io.rustless.host.jvm.JvmPluginModule;
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

  /** Wasm mode: the module at {@code wasm}. */
  public static PluginHarness wasm(Path wasm) {
    return new PluginHarness(null, Objects.requireNonNull(wasm), Mode.WASM);
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

  /** The plugin as the host loads it: its classes (JVM mode) or its module (Wasm mode). */
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
    return ChicoryModule.load(wasm);
  }

  @Override
  public String toString() {
    return mode == Mode.JVM ? "jvm:" + pluginClass.getName() : "wasm:" + wasm;
  }
}

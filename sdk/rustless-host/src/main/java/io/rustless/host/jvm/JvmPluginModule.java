package io.rustless.host.jvm;

import io.rustless.host.engine.Export;
import io.rustless.host.engine.PluginInstance;
import io.rustless.host.engine.PluginModule;
import io.rustless.host.state.VmState;
import io.rustless.sdk.api.RootContext;
import io.rustless.sdk.jvm.JvmModule;
import java.util.Objects;
import java.util.Optional;

/**
 * A plugin's classes in this JVM, run by the SDK's own dispatcher against an {@link EmulatedHost}:
 * fast, debuggable, with stack traces. What the test kit's JVM mode runs.
 */
public final class JvmPluginModule implements PluginModule {
  private final Class<?> pluginClass;

  private JvmPluginModule(Class<?> pluginClass) {
    this.pluginClass = pluginClass;
  }

  /** The plugin whose {@code main} is in {@code pluginClass}. */
  public static JvmPluginModule of(Class<?> pluginClass) {
    return new JvmPluginModule(Objects.requireNonNull(pluginClass));
  }

  @Override
  public PluginInstance instantiate(VmState state) {
    return new Instance(JvmModule.start(pluginClass, new EmulatedHost(state)));
  }

  @Override
  public String describe() {
    return pluginClass.getName() + " on the JVM";
  }

  /** A plugin instance on the JVM; it can show the plugin's root context objects. */
  public static final class Instance implements PluginInstance {
    private final JvmModule module;

    private Instance(JvmModule module) {
      this.module = module;
    }

    @Override
    public int call(Export export, int... args) {
      return module.call(export.abiName(), args);
    }

    @Override
    public int liveContexts() {
      return module.liveContexts();
    }

    /** The plugin's root context {@code contextId}, as a Java object. */
    public Optional<RootContext> rootContext(int contextId) {
      return module.rootContext(contextId);
    }
  }
}

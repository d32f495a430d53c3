package io.rustless.sdk.jvm;

import io.rustless.sdk.api.PluginRuntime;
import io.rustless.sdk.api.RootContext;
import io.rustless.sdk.host.Host;
import io.rustless.sdk.internal.Dispatcher;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * A plugin's Java code loaded as a proxy-wasm VM in this JVM: the exports its built module would
 * have, called by their ABI names with the ABI's integers, and host calls going to a {@link Host}
 * the caller provides. The JVM twin of the module's exports (which it shares the dispatcher with);
 * the test kit's JVM mode runs plugins through it.
 *
 * <p>Several may be open at once. A plugin's classes, and so their statics, are shared by all of
 * them, and the VM a plugin's code runs in is a static of the SDK (in a module, the module is the
 * VM): calls into any of them are therefore serialized, one at a time in the whole JVM.
 */
public final class JvmModule {
  private static final Object LOCK = new Object();

  private final Dispatcher dispatcher;

  private JvmModule(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /**
   * Loads {@code pluginClass} against {@code host}: runs its {@code main}, which registers the
   * plugin, as {@code _initialize} does in a module. Exceptions the plugin throws and the SDK
   * catches reach {@link Host#uncaughtException} with their stack traces.
   *
   * @throws IllegalStateException if the class has no {@code main} or it throws
   */
  public static JvmModule start(Class<?> pluginClass, Host host) {
    Dispatcher dispatcher = new Dispatcher(host);
    synchronized (LOCK) {
      PluginRuntime previous = dispatcher.activate();
      try {
        Method main = pluginClass.getMethod("main", String[].class);
        main.invoke(null, (Object) new String[0]);
      } catch (InvocationTargetException e) {
        throw new IllegalStateException(
            pluginClass.getName() + ".main failed: " + e.getCause(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(
            pluginClass.getName() + " has no public static void main(String[])", e);
      } finally {
        Dispatcher.restore(previous);
      }
    }
    return new JvmModule(dispatcher);
  }

  /**
   * Calls export {@code name} (e.g. {@code proxy_on_request_headers}) with {@code args}; returns
   * its result, 0 for exports without one.
   *
   * @throws IllegalArgumentException for a name that is not a proxy-wasm callback
   */
  public int call(String name, int... args) {
    synchronized (LOCK) {
      PluginRuntime previous = dispatcher.activate();
      try {
        return dispatcher.call(name, args);
      } finally {
        Dispatcher.restore(previous);
      }
    }
  }

  /** Contexts the dispatcher holds, root and HTTP (a leak check). */
  public int liveContexts() {
    synchronized (LOCK) {
      return dispatcher.liveContexts();
    }
  }

  /** Calls out whose answers the dispatcher still waits for (a leak check). */
  public int pendingCalls() {
    synchronized (LOCK) {
      return dispatcher.pendingCalls();
    }
  }

  /**
   * The plugin's root context {@code contextId}, for tools that inspect the plugin's Java objects
   * (the test kit's {@code getMatchConfig}).
   */
  public Optional<RootContext> rootContext(int contextId) {
    synchronized (LOCK) {
      return Optional.ofNullable(dispatcher.rootContext(contextId));
    }
  }
}

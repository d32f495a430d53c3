package io.rustless.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the plugin a test class exercises: its main class for JVM mode, its module for Wasm mode.
 * Methods annotated {@link DualModeTest} then receive a {@link PluginHarness} per mode.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
public @interface RustlessTest {
  /** The class whose {@code main} registers the plugin. */
  Class<?> plugin();

  /** The built module, relative to the module's directory (Maven runs tests from there). */
  String wasm() default "target/plugin.wasm";

  /**
   * The modes this class's tests run in, e.g. only {@link Mode#WASM} and {@link Mode#V8} for a
   * subclass that runs the same tests against a second build of the module.
   */
  Mode[] modes() default {Mode.JVM, Mode.WASM, Mode.V8};
}

package io.rustless.testing;

import io.rustless.testing.junit.DualModeExtension;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test written once and run in each {@link Mode}: on the JVM, then on the built module in Chicory
 * ({@code wasm}) and in V8 ({@code v8}). The method takes a {@link PluginHarness} parameter (or the
 * {@link Mode}). {@code -Drustless.test.modes=jvm} (or any comma-separated list of {@code jvm},
 * {@code wasm}, {@code v8}) restricts the modes, e.g. in an IDE before the module is built.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(DualModeExtension.class)
public @interface DualModeTest {
  /** The modes this test runs in; all three unless a test only makes sense in some. */
  Mode[] modes() default {Mode.JVM, Mode.WASM, Mode.V8};
}

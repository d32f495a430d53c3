package io.rustless.testing.junit;

import io.rustless.testing.DualModeTest;
import io.rustless.testing.Mode;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.RustlessTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/** Runs each {@link DualModeTest} once per {@link Mode}, handing it that mode's harness. */
public final class DualModeExtension implements TestTemplateInvocationContextProvider {

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return context.getRequiredTestMethod().isAnnotationPresent(DualModeTest.class);
  }

  /** A test whose modes the class or -Drustless.test.modes rules out simply does not run. */
  @Override
  public boolean mayReturnZeroTestTemplateInvocationContexts(ExtensionContext context) {
    return true;
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
      ExtensionContext context) {
    RustlessTest plugin = findPlugin(context.getRequiredTestClass());
    List<Mode> modes =
        new ArrayList<>(
            Arrays.asList(
                context.getRequiredTestMethod().getAnnotation(DualModeTest.class).modes()));
    modes.retainAll(Mode.enabled());
    modes.retainAll(Arrays.asList(plugin.modes()));
    return modes.stream().map(mode -> invocation(plugin, mode));
  }

  private static RustlessTest findPlugin(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      RustlessTest t = c.getAnnotation(RustlessTest.class);
      if (t != null) {
        return t;
      }
    }
    throw new ExtensionConfigurationException(
        testClass.getName() + " uses @DualModeTest but has no @RustlessTest(plugin = …)");
  }

  private static TestTemplateInvocationContext invocation(RustlessTest plugin, Mode mode) {
    PluginHarness harness =
        mode == Mode.JVM
            ? PluginHarness.jvm(plugin.plugin())
            : PluginHarness.module(mode, Path.of(plugin.wasm()));
    return new TestTemplateInvocationContext() {
      @Override
      public String getDisplayName(int invocationIndex) {
        return "[" + mode.label() + "]";
      }

      @Override
      public List<Extension> getAdditionalExtensions() {
        return List.of(
            new ParameterResolver() {
              @Override
              public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
                Class<?> type = p.getParameter().getType();
                return type == PluginHarness.class || type == Mode.class;
              }

              @Override
              public Object resolveParameter(ParameterContext p, ExtensionContext e) {
                return p.getParameter().getType() == Mode.class ? mode : harness;
              }
            });
      }
    };
  }
}

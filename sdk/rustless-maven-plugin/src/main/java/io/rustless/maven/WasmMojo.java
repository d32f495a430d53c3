package io.rustless.maven;

import io.rustless.build.BuildLog;
import io.rustless.build.ExceptionMode;
import io.rustless.build.PluginBuildException;
import io.rustless.build.PluginCompiler;
import io.rustless.build.Sizes;
import io.rustless.build.wasm.AbiVersion;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Compiles the extension to {@code target/plugin.wasm}. Bound to {@code process-classes}, so the
 * module exists before the tests that load it run.
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>io.rustless</groupId>
 *   <artifactId>rustless-maven-plugin</artifactId>
 *   <configuration><pluginClass>com.example.MyPlugin</pluginClass></configuration>
 * </plugin>
 * }</pre>
 */
@Mojo(
    name = "wasm",
    defaultPhase = LifecyclePhase.PROCESS_CLASSES,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public final class WasmMojo extends AbstractMojo {

  /** The class whose {@code main} registers the plugin's root context. */
  @Parameter(property = "rustless.pluginClass")
  private String pluginClass;

  /** The fixed GC heap size, e.g. {@code 4m}; host buffers live outside it. */
  @Parameter(property = "rustless.heapSize", defaultValue = "4m")
  private String heapSize;

  /** {@code 0.2.100} (Higress, default) or {@code 0.2.1} (plain Envoy/Istio). */
  @Parameter(property = "rustless.abiVersion", defaultValue = "0.2.100")
  private String abiVersion;

  /**
   * {@code portable} (default: TeaVM's call-site checks, loads in every proxy-wasm runtime) or
   * {@code wasm} (Wasm exception handling: ~13 % smaller and faster, loads in V8, the runtime of
   * Envoy, Istio and Higress).
   */
  @Parameter(property = "rustless.exceptions", defaultValue = "portable")
  private String exceptions;

  /** Where the module goes. */
  @Parameter(property = "rustless.output", defaultValue = "${project.build.directory}/plugin.wasm")
  private File output;

  /** Scratch space (TeaVM output, up-to-date fingerprint); one per execution. */
  @Parameter(defaultValue = "${project.build.directory}/rustless-work")
  private File workDirectory;

  /** Fail the build if the module is larger than this, e.g. {@code 150k}. */
  @Parameter(property = "rustless.maxModuleSize")
  private String maxModuleSize;

  /** Write TeaVM's per-class size report ({@code target/rustless-work/teavm/*.stats.txt}). */
  @Parameter(property = "rustless.stats", defaultValue = "false")
  private boolean stats;

  /** Rebuild even when nothing changed. */
  @Parameter(property = "rustless.force", defaultValue = "false")
  private boolean force;

  @Parameter(property = "rustless.skip", defaultValue = "false")
  private boolean skip;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("rustless:wasm skipped");
      return;
    }
    if ("pom".equals(project.getPackaging())) {
      getLog().debug("rustless:wasm does nothing for a pom module (an aggregator or parent)");
      return;
    }
    if (pluginClass == null || pluginClass.isBlank()) {
      throw new MojoFailureException(
          "rustless:wasm needs the plugin's main class: set <rustless.pluginClass> in the"
              + " extension's pom properties (or <pluginClass> in the plugin configuration)");
    }
    List<Path> classpath = new ArrayList<>();
    try {
      for (String element : project.getRuntimeClasspathElements()) {
        classpath.add(Path.of(element));
      }
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("cannot resolve the runtime classpath", e);
    }
    PluginCompiler compiler;
    try {
      compiler =
          PluginCompiler.builder()
              .pluginClass(pluginClass)
              .classpath(classpath)
              .output(output.toPath())
              .workDirectory(workDirectory.toPath())
              .heapSize(Sizes.parse(heapSize))
              .abiVersion(AbiVersion.parse(abiVersion))
              .exceptions(ExceptionMode.parse(exceptions))
              .maxModuleSize(
                  maxModuleSize == null || maxModuleSize.isBlank() ? 0 : Sizes.parse(maxModuleSize))
              .stats(stats)
              .force(force)
              .log(new MavenBuildLog(getLog()))
              .build();
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
    try {
      compiler.compile();
    } catch (PluginBuildException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
  }

  private static final class MavenBuildLog implements BuildLog {
    private final Log log;

    MavenBuildLog(Log log) {
      this.log = log;
    }

    @Override
    public void info(String message) {
      log.info(message);
    }

    @Override
    public void warn(String message) {
      log.warn(message);
    }

    @Override
    public void error(String message) {
      log.error(message);
    }

    @Override
    public void debug(String message) {
      log.debug(message);
    }
  }
}

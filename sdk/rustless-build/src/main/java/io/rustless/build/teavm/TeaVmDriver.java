package io.rustless.build.teavm;

import io.rustless.build.BuildLog;
import io.rustless.build.PluginBuildException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.teavm.tooling.TeaVMProblemRenderer;
import org.teavm.tooling.TeaVMTargetType;
import org.teavm.tooling.TeaVMTool;
import org.teavm.tooling.TeaVMToolException;
import org.teavm.tooling.TeaVMToolLog;
import org.teavm.vm.TeaVMOptimizationLevel;
import org.teavm.vm.TeaVMPhase;
import org.teavm.vm.TeaVMProgressFeedback;
import org.teavm.vm.TeaVMProgressListener;

/**
 * Runs {@code TeaVMTool} 0.13.1 for the WASI target. There is no 0.13.1 teavm-maven-plugin on Maven
 * Central, so the build drives the tool directly. The heap is fixed (min = max) because the SDK's
 * host-buffer arena lives right above it.
 */
public final class TeaVmDriver {
  /**
   * {@code -Drustless.teavm.names=true}: a module with TeaVM's function names (a name section), for
   * profiling; a different module, so it is part of the build's fingerprint.
   */
  public static boolean keepsNames() {
    return Boolean.getBoolean("rustless.teavm.names");
  }

  static final String OUTPUT_NAME = "plugin.wasm";

  final String mainClass;
  final String preservedClass;
  final List<Path> classpath;
  final Path targetDirectory;
  final BuildLog log;
  int heapSize = 4 << 20;
  boolean stats;
  boolean wasmExceptions;
  private boolean forked = true;

  public TeaVmDriver(
      String mainClass,
      String preservedClass,
      List<Path> classpath,
      Path targetDirectory,
      BuildLog log) {
    this.mainClass = mainClass;
    this.preservedClass = preservedClass;
    this.classpath = List.copyOf(classpath);
    this.targetDirectory = targetDirectory;
    this.log = log;
  }

  /** Compile exceptions to Wasm exception handling instead of TeaVM's call-site checks. */
  public TeaVmDriver wasmExceptions(boolean on) {
    this.wasmExceptions = on;
    return this;
  }

  /**
   * Compile in this JVM instead of a child JVM: faster, but the output may differ in function order
   * from one JVM to the next (see {@link ForkedTeaVm}).
   */
  public TeaVmDriver inProcess() {
    this.forked = false;
    return this;
  }

  public TeaVmDriver heapSize(int bytes) {
    this.heapSize = bytes;
    return this;
  }

  public TeaVmDriver stats(boolean on) {
    this.stats = on;
    return this;
  }

  /** Compiles and returns the raw module TeaVM wrote. */
  public Path compile() throws PluginBuildException {
    try {
      Files.createDirectories(targetDirectory);
      Files.deleteIfExists(targetDirectory.resolve(OUTPUT_NAME));
    } catch (IOException e) {
      throw new PluginBuildException(
          "cannot prepare " + targetDirectory + ": " + e.getMessage(), e);
    }
    if (forked) {
      ForkedTeaVm.compile(this);
    } else {
      compileHere();
    }
    Path out = targetDirectory.resolve(OUTPUT_NAME);
    if (!Files.isRegularFile(out)) {
      throw new PluginBuildException("TeaVM reported success but wrote no " + out);
    }
    return out;
  }

  private void compileHere() throws PluginBuildException {
    List<URL> urls = new ArrayList<>();
    for (Path p : classpath) {
      try {
        urls.add(p.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new PluginBuildException("bad classpath entry " + p, e);
      }
    }
    CollectingLog teavmLog = new CollectingLog(log);
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(new URL[0]), TeaVmDriver.class.getClassLoader())) {
      thread.setContextClassLoader(loader);
      TeaVMTool tool = new TeaVMTool();
      tool.setTargetType(TeaVMTargetType.WEBASSEMBLY_WASI);
      tool.setMainClass(mainClass);
      tool.getClassesToPreserve().add(preservedClass);
      tool.getTransformers().add(ProxyWasmTransformer.class.getName());
      tool.setTargetDirectory(targetDirectory.toFile());
      tool.setTargetFileName(OUTPUT_NAME);
      tool.setClassLoader(loader);
      tool.setOptimizationLevel(TeaVMOptimizationLevel.ADVANCED);
      tool.setObfuscated(!keepsNames());
      tool.setWasmExceptionsUsed(wasmExceptions);
      tool.setDebugInformationGenerated(false);
      tool.setSourceMapsFileGenerated(false);
      tool.setIncremental(false);
      tool.setMinHeapSize(heapSize);
      tool.setMaxHeapSize(heapSize);
      if (stats) {
        tool.getProperties().setProperty("teavm.wasm.stats", "true");
      }
      tool.setLog(teavmLog);
      tool.setProgressListener(new PhaseLog(log));
      tool.generate();
      String why = System.getProperty("rustless.why");
      if (why != null && !why.isBlank()) {
        ReachabilityReport.print(tool.getDependencyInfo(), why, log);
      }
      TeaVMProblemRenderer.describeProblems(
          tool.getDependencyInfo().getCallGraph(), tool.getProblemProvider(), teavmLog);
      if (!tool.getProblemProvider().getSevereProblems().isEmpty()) {
        throw new PluginBuildException(
            "TeaVM could not compile "
                + mainClass
                + ":\n"
                + String.join("\n", teavmLog.errors)
                + "\nA class or method above is not available under TeaVM; see the README's notes"
                + " on the Java class library in plugins.");
      }
    } catch (TeaVMToolException | IOException e) {
      throw new PluginBuildException("TeaVM failed: " + e.getMessage(), e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Collects TeaVM's errors for the exception; routes its chatter to debug. */
  private static final class CollectingLog implements TeaVMToolLog {
    private final BuildLog log;
    final List<String> errors = new ArrayList<>();

    CollectingLog(BuildLog log) {
      this.log = log;
    }

    @Override
    public void info(String text) {
      log.debug(text);
    }

    @Override
    public void debug(String text) {
      log.debug(text);
    }

    @Override
    public void warning(String text) {
      log.warn("TeaVM: " + text);
    }

    @Override
    public void error(String text) {
      errors.add(text);
      log.error("TeaVM: " + text);
    }

    @Override
    public void info(String text, Throwable e) {
      log.debug(text + ": " + e);
    }

    @Override
    public void debug(String text, Throwable e) {
      log.debug(text + ": " + e);
    }

    @Override
    public void warning(String text, Throwable e) {
      log.warn("TeaVM: " + text + ": " + e);
    }

    @Override
    public void error(String text, Throwable e) {
      errors.add(text + ": " + e);
      log.error("TeaVM: " + text + ": " + e);
    }
  }

  /** Reports TeaVM's phases, so a long build shows where it is. */
  private static final class PhaseLog implements TeaVMProgressListener {
    private final BuildLog log;

    PhaseLog(BuildLog log) {
      this.log = log;
    }

    @Override
    public TeaVMProgressFeedback phaseStarted(TeaVMPhase phase, int count) {
      log.info(
          "  TeaVM: "
              + (phase == TeaVMPhase.DEPENDENCY_ANALYSIS ? "analysing dependencies" : "compiling")
              + "…");
      return TeaVMProgressFeedback.CONTINUE;
    }

    @Override
    public TeaVMProgressFeedback progressReached(int progress) {
      return TeaVMProgressFeedback.CONTINUE;
    }
  }
}

package io.rustless.build.teavm;

import io.rustless.build.BuildLog;
import io.rustless.build.PluginBuildException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs {@link TeaVmDriver} in a child JVM in which every identity hash code is the same.
 *
 * <p>TeaVM's output depends on the iteration order of collections keyed by identity hash codes, and
 * HotSpot derives those from a per-thread random sequence: a module compiled after another in one
 * Maven run, or by the CLI instead of Maven, came out with its functions in a different order (same
 * size, different bytes, different image digest). With {@code -XX:hashCode=2} the order depends
 * only on the input, so the same sources give the same {@code plugin.wasm} wherever they are built
 * (measured: +15 % TeaVM time).
 *
 * <p>The child's output is one line per message, prefixed by its level ({@code I:}, {@code W:},
 * {@code E:}, {@code D:}); {@code F:} lines carry the failure that ends a build with exit code 2.
 */
final class ForkedTeaVm {
  private static final List<String> PASSED_PROPERTIES =
      List.of("rustless.teavm.names", "rustless.why", "rustless.why.callers");

  private ForkedTeaVm() {}

  /** Runs {@code settings} (all but where it runs) in a child JVM. */
  static void compile(TeaVmDriver settings) throws PluginBuildException {
    Path targetDirectory = settings.targetDirectory;
    BuildLog log = settings.log;
    Path argFile = targetDirectory.resolve("teavm-jvm.args");
    Path classpathFile = targetDirectory.resolve("teavm-classpath.txt");
    List<String> jvm = new ArrayList<>();
    jvm.add("-XX:+UnlockExperimentalVMOptions");
    jvm.add("-XX:hashCode=2");
    jvm.add("-cp");
    jvm.add(quote(String.join(File.pathSeparator, ownClasspath())));
    for (String p : PASSED_PROPERTIES) {
      String v = System.getProperty(p);
      if (v != null) {
        jvm.add(quote("-D" + p + "=" + v));
      }
    }
    jvm.add(ForkedTeaVm.class.getName());
    for (String a :
        List.of(
            settings.mainClass,
            settings.preservedClass,
            targetDirectory.toString(),
            Integer.toString(settings.heapSize),
            Boolean.toString(settings.stats),
            Boolean.toString(settings.wasmExceptions),
            classpathFile.toString())) {
      jvm.add(quote(a));
    }
    try {
      Files.createDirectories(targetDirectory);
      List<String> entries = new ArrayList<>();
      for (Path p : settings.classpath) {
        entries.add(p.toAbsolutePath().toString());
      }
      Files.write(classpathFile, entries, StandardCharsets.UTF_8);
      Files.write(argFile, jvm, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PluginBuildException("cannot write " + argFile + ": " + e.getMessage(), e);
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> failure = new ArrayList<>();
    int exit;
    try {
      Process child =
          new ProcessBuilder(java.toString(), "@" + argFile).redirectErrorStream(true).start();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          relay(line, log, failure);
        }
      }
      exit = child.waitFor();
    } catch (IOException e) {
      throw new PluginBuildException("cannot start the TeaVM JVM " + java + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PluginBuildException("interrupted while TeaVM was compiling", e);
    }
    if (exit != 0) {
      throw new PluginBuildException(
          failure.isEmpty()
              ? "the TeaVM JVM exited with code " + exit + " (its output is above)"
              : String.join("\n", failure));
    }
  }

  private static void relay(String line, BuildLog log, List<String> failure) {
    String message = line.length() >= 2 ? line.substring(2) : "";
    switch (line.length() >= 2 && line.charAt(1) == ':' ? line.charAt(0) : '?') {
      case 'I' -> log.info(message);
      case 'W' -> log.warn(message);
      case 'E' -> log.error(message);
      case 'D' -> log.debug(message);
      case 'F' -> failure.add(message);
      default -> log.warn("TeaVM JVM: " + line); // e.g. a crash report on stderr
    }
  }

  /** The entries this class was loaded from: rustless-build, TeaVM and their dependencies. */
  private static List<String> ownClasspath() throws PluginBuildException {
    Set<String> entries = new LinkedHashSet<>();
    for (ClassLoader l = ForkedTeaVm.class.getClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          try {
            entries.add(Path.of(url.toURI()).toString());
          } catch (URISyntaxException | IllegalArgumentException e) {
            throw new PluginBuildException("cannot use class-path entry " + url, e);
          }
        }
      }
    }
    // the application class loader (a test, the CLI) is no URLClassLoader since Java 9
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        entries.add(e);
      }
    }
    return new ArrayList<>(entries);
  }

  /** An argument file token: quoted, with backslashes and quotes escaped. */
  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The child: compiles with the in-process driver and reports over stdout. */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(
        new PrintStream(
            new java.io.OutputStream() {
              @Override
              public void write(int b) {
                // TeaVM or a plugin's static initialiser printing directly would break the protocol
              }
            },
            true,
            StandardCharsets.UTF_8));
    BuildLog log =
        new BuildLog() {
          @Override
          public void info(String message) {
            emit(out, 'I', message);
          }

          @Override
          public void warn(String message) {
            emit(out, 'W', message);
          }

          @Override
          public void error(String message) {
            emit(out, 'E', message);
          }

          @Override
          public void debug(String message) {
            emit(out, 'D', message);
          }
        };
    try {
      List<Path> classpath = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of(args[6]), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          classpath.add(Path.of(line));
        }
      }
      new TeaVmDriver(args[0], args[1], classpath, Path.of(args[2]), log)
          .heapSize(Integer.parseInt(args[3]))
          .stats(Boolean.parseBoolean(args[4]))
          .wasmExceptions(Boolean.parseBoolean(args[5]))
          .inProcess()
          .compile();
    } catch (PluginBuildException | IOException | RuntimeException e) {
      emit(out, 'F', e.getMessage() == null ? e.toString() : e.getMessage());
      out.flush();
      System.exit(2);
    }
    out.flush();
    System.exit(0);
  }

  private static void emit(PrintStream out, char level, String message) {
    for (String line : String.valueOf(message).split("\n", -1)) {
      out.println(level + ":" + line);
    }
  }
}

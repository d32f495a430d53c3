package io.rustless.build;

import io.rustless.build.teavm.ProxyWasmTransformer;
import io.rustless.build.teavm.TeaVmDriver;
import io.rustless.build.wasm.AbiVersion;
import io.rustless.build.wasm.CodePeephole;
import io.rustless.build.wasm.DataCompression;
import io.rustless.build.wasm.ModuleCheck;
import io.rustless.wasm.WasmFormatException;
import io.rustless.wasm.WasmModuleBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Compiles a plugin's classes to {@code plugin.wasm}: TeaVM 0.13.1 (WASI target, fixed heap), then
 * the patches the module needs to run in a proxy, then the import/export policy.
 *
 * <p>The patches, and why: the memory maximum TeaVM writes is exactly its heap, which would stop
 * the SDK's arena from growing memory for host buffers; TeaVM's {@code _start} corrupts the heap
 * under proxy hosts (the SDK exports {@code _initialize} instead); its {@code teavm_*} helper
 * exports are for JavaScript embedders and are dropped.
 */
public final class PluginCompiler {
  /** The SDK class holding the module's exports; kept reachable whatever the plugin's main is. */
  public static final String EXPORTS_CLASS = "io.rustless.sdk.internal.abi.Exports";

  private static final long MIN_HEAP = 1L << 20;

  private final String pluginClass;
  private final List<Path> classpath;
  private final Path output;
  private final Path workDirectory;
  private final long heapSize;
  private final AbiVersion abiVersion;
  private final boolean stats;
  private final ExceptionMode exceptions;
  private final long maxModuleSize;
  private final boolean force;
  private final BuildLog log;

  private PluginCompiler(Builder b) {
    this.pluginClass = Objects.requireNonNull(b.pluginClass, "pluginClass");
    this.classpath = List.copyOf(b.classpath);
    this.output = Objects.requireNonNull(b.output, "output");
    this.workDirectory =
        b.workDirectory != null ? b.workDirectory : output.resolveSibling("rustless-work");
    this.heapSize = b.heapSize;
    this.abiVersion = b.abiVersion;
    this.stats = b.stats;
    this.exceptions = b.exceptions;
    this.maxModuleSize = b.maxModuleSize;
    this.force = b.force;
    this.log = b.log;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What a build produced. */
  public record Result(
      Path output,
      long size,
      List<String> imports,
      List<String> warnings,
      long millis,
      boolean upToDate) {}

  /** Builds the module, or reports it up to date when nothing that feeds it has changed. */
  public Result compile() throws PluginBuildException {
    long start = System.nanoTime();
    if (heapSize < MIN_HEAP || heapSize > Integer.MAX_VALUE) {
      throw new PluginBuildException(
          "heap size " + heapSize + " is out of range (use 1m to 1g, e.g. 4m)");
    }
    requireSdkOnClasspath();
    String fingerprint = fingerprint();
    Path fingerprintFile = workDirectory.resolve("fingerprint");
    try {
      if (!force
          && Files.isRegularFile(output)
          && Files.isRegularFile(fingerprintFile)
          && Files.readString(fingerprintFile).equals(fingerprint)) {
        byte[] bytes = Files.readAllBytes(output);
        WasmModuleBinary module = WasmModuleBinary.parse(bytes);
        log.info(
            "plugin.wasm is up to date: "
                + output
                + ", "
                + Sizes.describe(bytes.length)
                + ", ABI "
                + abiVersion.version());
        return new Result(
            output, bytes.length, importNames(module), List.of(), elapsed(start), true);
      }
      Files.createDirectories(workDirectory);
      Files.deleteIfExists(fingerprintFile);
    } catch (IOException | WasmFormatException e) {
      log.debug("rebuilding: " + e.getMessage());
    }

    log.info(
        "Compiling "
            + pluginClass
            + " to Wasm with TeaVM (heap "
            + Sizes.describe(heapSize)
            + ", ABI "
            + abiVersion.version()
            + ", "
            + exceptions.id()
            + " exceptions)");
    Path raw =
        new TeaVmDriver(pluginClass, EXPORTS_CLASS, classpath, workDirectory.resolve("teavm"), log)
            .heapSize((int) heapSize)
            .stats(stats)
            .wasmExceptions(exceptions == ExceptionMode.WASM)
            .compile();
    byte[] patched;
    ModuleCheck check;
    WasmModuleBinary module;
    try {
      module = WasmModuleBinary.parse(Files.readAllBytes(raw)).withoutMemoryMaximum();
      module =
          exceptions == ExceptionMode.WASM
              ? CodePeephole.apply(module, ProxyWasmTransformer.ALLOC_STACK_EXPORT)
              : CodePeephole.apply(module);
      module =
          DataCompression.apply(module.withPackedDataSegments(16))
              .withoutExports(
                  name ->
                      name.equals("_start")
                          || name.equals("start")
                          || name.startsWith("teavm_")
                          || name.equals(ProxyWasmTransformer.ALLOC_STACK_EXPORT));
      if (abiVersion != AbiVersion.V0_2_100) {
        module = module.withExportRenamed(AbiVersion.V0_2_100.marker(), abiVersion.marker());
      }
      patched = module.toBytes();
      check = ModuleCheck.of(module);
    } catch (IOException | WasmFormatException e) {
      throw new PluginBuildException("could not post-process TeaVM's output " + raw + ": " + e, e);
    }
    if (module.exports().stream().noneMatch(e -> e.name().equals("_initialize"))) {
      throw new PluginBuildException(
          "the module exports no _initialize: is rustless-sdk on the plugin's compile classpath?");
    }
    if (!check.ok()) {
      StringBuilder sb = new StringBuilder("the module would not load in Envoy/Higress:");
      for (String e : check.errors()) {
        sb.append("\n  - it ").append(e);
      }
      sb.append(
          "\nAn import appears when plugin code (or a library it uses) calls into the JDK in a way"
              + " TeaVM maps to a host function; remove that call.");
      throw new PluginBuildException(sb.toString());
    }
    for (String w : check.warnings()) {
      log.warn("module " + w);
    }
    if (maxModuleSize > 0 && patched.length > maxModuleSize) {
      throw new PluginBuildException(
          "plugin.wasm is "
              + Sizes.describe(patched.length)
              + ", over its budget of "
              + Sizes.describe(maxModuleSize)
              + " (maxModuleSize); build with stats=true to see what takes the space");
    }
    try {
      Files.createDirectories(output.toAbsolutePath().getParent());
      Files.write(output, patched);
      Files.writeString(fingerprintFile, fingerprint);
    } catch (IOException e) {
      throw new PluginBuildException("could not write " + output + ": " + e.getMessage(), e);
    }
    List<String> imports = importNames(module);
    log.info(
        "Wrote "
            + output
            + ": "
            + Sizes.describe(patched.length)
            + ", "
            + imports.size()
            + " imports, in "
            + (elapsed(start) / 100) / 10.0
            + " s");
    log.info("  imports: " + String.join(" ", imports));
    return new Result(output, patched.length, imports, check.warnings(), elapsed(start), false);
  }

  private static List<String> importNames(WasmModuleBinary module) {
    List<String> out = new ArrayList<>();
    for (WasmModuleBinary.Import i : module.imports()) {
      out.add(i.toString());
    }
    return out;
  }

  private static long elapsed(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private void requireSdkOnClasspath() throws PluginBuildException {
    String resource = EXPORTS_CLASS.replace('.', '/') + ".class";
    for (Path p : classpath) {
      if (Files.isDirectory(p) && Files.isRegularFile(p.resolve(resource))) {
        return;
      }
      if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
        try (var jar = new java.util.jar.JarFile(p.toFile())) {
          if (jar.getEntry(resource) != null) {
            return;
          }
        } catch (IOException e) {
          throw new PluginBuildException("cannot read " + p + ": " + e.getMessage(), e);
        }
      }
    }
    throw new PluginBuildException(
        "rustless-sdk is not on the plugin's classpath (no " + EXPORTS_CLASS + ")");
  }

  /** A digest of everything that feeds the module: settings and every classpath file. */
  private String fingerprint() throws PluginBuildException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      update(md, "rustless-build");
      update(md, ownCodeStamp()); // a new build tool rebuilds: its output may differ
      update(md, pluginClass);
      update(md, Long.toString(heapSize));
      update(md, abiVersion.version());
      update(md, Boolean.toString(stats));
      update(md, exceptions.id());
      update(md, Boolean.toString(TeaVmDriver.keepsNames()));
      // the output is part of what was built: two outputs sharing a work directory are two builds
      update(md, output.toAbsolutePath().normalize().toString());
      for (Path p : classpath) {
        update(md, p.toAbsolutePath().toString());
        if (Files.isDirectory(p)) {
          List<Path> files;
          try (Stream<Path> s = Files.walk(p)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
          }
          for (Path f : files) {
            update(md, p.relativize(f).toString());
            md.update(Files.readAllBytes(f));
          }
        } else if (Files.isRegularFile(p)) {
          update(md, Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new PluginBuildException("cannot fingerprint the classpath: " + e.getMessage(), e);
    }
  }

  /** Size and time of the jar (or class directory) this class came from; "" if unknown. */
  private static String ownCodeStamp() {
    try {
      Path own =
          Path.of(PluginCompiler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(own)) {
        Path self = own.resolve(PluginCompiler.class.getName().replace('.', '/') + ".class");
        return Files.getLastModifiedTime(self).toMillis() + "";
      }
      return Files.size(own) + "@" + Files.getLastModifiedTime(own).toMillis();
    } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
      return "";
    }
  }

  private static void update(MessageDigest md, String s) {
    md.update(s.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
  }

  /** Configures a {@link PluginCompiler}. */
  public static final class Builder {
    private String pluginClass;
    private final List<Path> classpath = new ArrayList<>();
    private Path output;
    private Path workDirectory;
    private long heapSize = 4L << 20;
    private AbiVersion abiVersion = AbiVersion.V0_2_100;
    private boolean stats;
    private ExceptionMode exceptions = ExceptionMode.PORTABLE;
    private long maxModuleSize;
    private boolean force;
    private BuildLog log = new SilentLog();

    private Builder() {}

    /** The class whose {@code main} registers the plugin. */
    public Builder pluginClass(String className) {
      this.pluginClass = className;
      return this;
    }

    /** The plugin's runtime classpath: its classes, rustless-sdk and their dependencies. */
    public Builder classpath(List<Path> entries) {
      this.classpath.clear();
      this.classpath.addAll(entries);
      return this;
    }

    /** Where {@code plugin.wasm} goes. */
    public Builder output(Path file) {
      this.output = file;
      return this;
    }

    /** Scratch space (TeaVM output, fingerprint); defaults next to the output. */
    public Builder workDirectory(Path dir) {
      this.workDirectory = dir;
      return this;
    }

    /** The fixed GC heap, in bytes (default 4 MiB). */
    public Builder heapSize(long bytes) {
      this.heapSize = bytes;
      return this;
    }

    /** The ABI marker to export (default 0.2.100, Higress). */
    public Builder abiVersion(AbiVersion v) {
      this.abiVersion = Objects.requireNonNull(v);
      return this;
    }

    /** How Java exceptions are compiled (default {@link ExceptionMode#PORTABLE}). */
    public Builder exceptions(ExceptionMode mode) {
      this.exceptions = Objects.requireNonNull(mode);
      return this;
    }

    /** Also write TeaVM's per-class size report next to the raw module. */
    public Builder stats(boolean on) {
      this.stats = on;
      return this;
    }

    /** Fail if the module is larger than this many bytes (0: no limit). */
    public Builder maxModuleSize(long bytes) {
      this.maxModuleSize = bytes;
      return this;
    }

    /** Rebuild even if nothing changed. */
    public Builder force(boolean on) {
      this.force = on;
      return this;
    }

    public Builder log(BuildLog l) {
      this.log = Objects.requireNonNull(l);
      return this;
    }

    public PluginCompiler build() {
      return new PluginCompiler(this);
    }
  }

  private static final class SilentLog implements BuildLog {
    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {}

    @Override
    public void error(String message) {}
  }
}

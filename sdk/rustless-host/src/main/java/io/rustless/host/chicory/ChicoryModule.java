package io.rustless.host.chicory;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExecutionListener;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.rustless.host.engine.PluginInstance;
import io.rustless.host.engine.PluginModule;
import io.rustless.host.state.VmState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;

/**
 * A Wasm module loaded into Chicory: parsed (the legacy exception encoding TeaVM and V8 use
 * translated to the one Chicory runs, see {@link LegacyExceptions}) and compiled, cached by
 * content. Parsing and compiling take about a second, instantiating a few milliseconds, so a
 * process pays the first cost once per module.
 */
public final class ChicoryModule implements PluginModule {
  /** How Chicory runs the module. */
  public enum Engine {
    /** Wasm compiled to JVM bytecode at load time: what a gateway and the tests use. */
    COMPILER,
    /** Chicory's interpreter: slower, but starts at once. */
    INTERPRETER;

    /** {@code -Drustless.test.engine=interpreter} (or {@code compiler}, the default). */
    public static Engine fromSystemProperty() {
      String p = System.getProperty("rustless.test.engine", "compiler").toLowerCase(Locale.ROOT);
      return p.equals("interpreter") ? INTERPRETER : COMPILER;
    }
  }

  /**
   * How many compiled modules the process keeps. A gateway that reloads many different modules must
   * not keep every one it ever loaded; a module still in use stays alive through its VMs.
   */
  static final int CACHE_SIZE = 32;

  private static final Map<String, ChicoryModule> CACHE = new ConcurrentHashMap<>();
  // Insertion order of CACHE's keys, oldest first: what goes when the cache is full.
  private static final Deque<String> CACHE_ORDER = new ConcurrentLinkedDeque<>();

  private final WasmModule module;
  private final Function<Instance, Machine> machineFactory;
  private final String digest;
  private final int size;
  private final String origin;

  private ChicoryModule(
      WasmModule module,
      Function<Instance, Machine> machineFactory,
      String digest,
      int size,
      String origin) {
    this.module = module;
    this.machineFactory = machineFactory;
    this.digest = digest;
    this.size = size;
    this.origin = origin;
  }

  /** The module at {@code path}, compiled once per distinct content. */
  public static ChicoryModule load(Path path) {
    return load(path, Engine.fromSystemProperty());
  }

  /** The module at {@code path} for {@code engine}. */
  public static ChicoryModule load(Path path, Engine engine) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    return of(bytes, engine, path.toString());
  }

  /** The module {@code bytes}, compiled once per distinct content. */
  public static ChicoryModule of(byte[] bytes) {
    return of(bytes, Engine.fromSystemProperty(), "a module");
  }

  /**
   * The module {@code bytes} for {@code engine}; {@code origin} names it in messages.
   *
   * @throws IllegalArgumentException if the bytes are not a module Chicory can load
   */
  public static ChicoryModule of(byte[] bytes, Engine engine, String origin) {
    String digest = sha256(bytes);
    String key = digest + "/" + engine;
    ChicoryModule cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    ChicoryModule compiled =
        CACHE.computeIfAbsent(
            key,
            k -> {
              CACHE_ORDER.addLast(k);
              return compile(bytes, engine, digest, origin);
            });
    while (CACHE.size() > CACHE_SIZE) {
      String oldest = CACHE_ORDER.pollFirst();
      if (oldest == null) {
        break;
      }
      CACHE.remove(oldest);
    }
    return compiled;
  }

  /** How many compiled modules are cached now (at most {@link #CACHE_SIZE}). */
  static int cachedModules() {
    return CACHE.size();
  }

  private static ChicoryModule compile(byte[] bytes, Engine engine, String digest, String origin) {
    WasmModule module;
    try {
      module = Parser.parse(LegacyExceptions.toExnref(bytes));
    } catch (ChicoryException | LegacyExceptions.UnsupportedException e) {
      throw new IllegalArgumentException(origin + " is not a module this host can load: " + e, e);
    }
    if (!declaresAbi(module)) {
      // Envoy refuses these too: a module without the marker is not a proxy-wasm plugin
      throw new IllegalArgumentException(
          origin
              + " declares no proxy-wasm ABI version (no proxy_abi_version_* export): not a"
              + " proxy-wasm module");
    }
    Function<Instance, Machine> factory =
        engine == Engine.INTERPRETER ? null : MachineFactoryCompiler.compile(module);
    return new ChicoryModule(module, factory, digest, bytes.length, origin);
  }

  private static boolean declaresAbi(WasmModule module) {
    var exports = module.exportSection();
    for (int i = 0; i < exports.exportCount(); i++) {
      if (exports.getExport(i).name().startsWith("proxy_abi_version_")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public PluginInstance instantiate(VmState state) {
    return new ChicoryInstance(this, state, null);
  }

  /**
   * An instance whose every executed Wasm instruction is reported to {@code listener}: a diagnostic
   * (the benchmarks count instructions per request, a figure that does not move with the machine's
   * load). Only Chicory's interpreter reports instructions.
   *
   * @throws IllegalStateException if this module was loaded for the compiler
   */
  public PluginInstance instantiate(VmState state, ExecutionListener listener) {
    if (machineFactory != null) {
      throw new IllegalStateException(
          "instructions are reported by the interpreter only: load the module with"
              + " Engine.INTERPRETER");
    }
    return new ChicoryInstance(this, state, listener);
  }

  @Override
  public String describe() {
    return origin + " (" + size + " bytes)";
  }

  WasmModule module() {
    return module;
  }

  /** The compiled machine factory, or null for the interpreter. */
  Function<Instance, Machine> machineFactory() {
    return machineFactory;
  }

  /** The module's SHA-256, hex. */
  public String digest() {
    return digest;
  }

  public int size() {
    return size;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

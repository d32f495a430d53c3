package io.rustless.testing.wasm;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A parsed module plus its machine factory, cached by content: parsing and compiling take about a
 * second, instantiating a few milliseconds, so a test class pays the first cost once.
 *
 * <p>The engine is Chicory's runtime compiler (Wasm → JVM bytecode) unless {@code
 * -Drustless.test.engine=interpreter}.
 */
public final class CompiledModule {
  private static final Map<String, CompiledModule> CACHE = new ConcurrentHashMap<>();

  private final WasmModule module;
  private final Function<Instance, Machine> machineFactory;
  private final String digest;
  private final int size;

  private CompiledModule(
      WasmModule module, Function<Instance, Machine> machineFactory, String digest, int size) {
    this.module = module;
    this.machineFactory = machineFactory;
    this.digest = digest;
    this.size = size;
  }

  /** The module at {@code path}, compiled once per distinct content. */
  public static CompiledModule load(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    return of(bytes);
  }

  /** The module {@code bytes}, compiled once per distinct content. */
  public static CompiledModule of(byte[] bytes) {
    String digest = sha256(bytes);
    return CACHE.computeIfAbsent(digest + "/" + engine(), k -> compile(bytes, digest));
  }

  private static CompiledModule compile(byte[] bytes, String digest) {
    WasmModule module = Parser.parse(LegacyExceptions.toExnref(bytes));
    Function<Instance, Machine> factory =
        engine().equals("interpreter") ? null : MachineFactoryCompiler.compile(module);
    return new CompiledModule(module, factory, digest, bytes.length);
  }

  static String engine() {
    return System.getProperty("rustless.test.engine", "compiler").toLowerCase(Locale.ROOT);
  }

  public WasmModule module() {
    return module;
  }

  /** The compiled machine factory, or null for the interpreter. */
  public Function<Instance, Machine> machineFactory() {
    return machineFactory;
  }

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

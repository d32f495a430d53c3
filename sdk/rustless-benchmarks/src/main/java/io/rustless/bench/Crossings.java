package io.rustless.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import io.rustless.v8.HostImport;
import io.rustless.v8.V8Engine;
import io.rustless.v8.V8Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What one crossing between a module and its Java host costs in each engine, with no proxy-wasm
 * work: {@code crossing.wasm} (C) calls {@code env.echo} in a loop, or is called with nothing to
 * do. Every host function of a plugin pays the first, every callback the second.
 */
final class Crossings {
  /** Calls of {@code env.echo} per measured call of {@code calls(n)}. */
  static final int LOOP = 1000;

  private final byte[] module;

  Crossings(Path dir) {
    try {
      module = Files.readAllBytes(dir.resolve("crossing.wasm"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int echo(long a, long b) {
    return (int) ((a ^ b) & 0xFF);
  }

  /** A Chicory instance (runtime compiler): {@code [calls(LOOP), nothing(x)]}. */
  Runnable[] chicory() {
    WasmModule parsed = Parser.parse(module);
    Instance instance =
        Instance.builder(parsed)
            .withMachineFactory(MachineFactoryCompiler.compile(parsed))
            .withImportValues(
                ImportValues.builder()
                    .addFunction(
                        new HostFunction(
                            "env",
                            "echo",
                            FunctionType.of(
                                List.of(ValType.I32, ValType.I32), List.of(ValType.I32)),
                            (inst, args) -> new long[] {echo(args[0], args[1])}))
                    .build())
            .build();
    ExportFunction calls = instance.export("calls");
    ExportFunction nothing = instance.export("nothing");
    check(calls.apply(LOOP)[0]);
    return new Runnable[] {() -> calls.apply(LOOP), () -> nothing.apply(7)};
  }

  /** The same in V8 (the JVM's shared engine). */
  Runnable[] v8() {
    V8Instance instance =
        V8Engine.shared()
            .compile(module)
            .instantiate(
                List.of(
                    new HostImport(
                        "env",
                        "echo",
                        io.rustless.v8.FunctionType.i32(2),
                        (inst, args) -> echo(args[0], args[1]))));
    V8Instance.Export calls =
        instance.export("calls", io.rustless.v8.FunctionType.i32(1)).orElseThrow();
    V8Instance.Export nothing =
        instance.export("nothing", io.rustless.v8.FunctionType.i32(1)).orElseThrow();
    check(calls.call(LOOP));
    return new Runnable[] {() -> calls.call(LOOP), () -> nothing.call(7)};
  }

  /** The result every engine must give for {@code calls(LOOP)}. */
  private static void check(long result) {
    int acc = 0;
    for (int i = 0; i < LOOP; i++) {
      acc += echo(i, acc);
    }
    if ((int) result != acc) {
      throw new IllegalStateException("calls(" + LOOP + ") = " + result + ", expected " + acc);
    }
  }
}

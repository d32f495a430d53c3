package io.rustless.bench;

import io.rustless.host.chicory.ChicoryModule;
import io.rustless.host.engine.Export;
import io.rustless.host.engine.PluginInstance;
import io.rustless.host.engine.PluginModule;
import io.rustless.host.jvm.JvmPluginModule;
import io.rustless.host.state.SharedState;
import io.rustless.host.state.StreamState;
import io.rustless.host.state.VmState;
import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.MapType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Measures what a request costs a Rustless plugin in the Chicory host, and prints each figure with
 * its ratio to a baseline measured in the same run (a pass-through plugin, the same plugin on the
 * JVM, or the interpreter). It drives the engines of the host library directly (a callback per
 * call, no locking or stream bookkeeping), so what it measures is the plugin and its host calls.
 * Not a test: timings on a shared 2-core machine move by tens of percent between runs; the ratios
 * are the stable part.
 *
 * <p>Method: one plugin instance per case; warm-up rounds, then {@code rounds} rounds of {@code
 * calls} calls; the per-call average of each round; the median and the minimum of those averages.
 */
public final class Benchmarks {
  private static final HeaderMap HEADERS =
      HeaderMap.of(
          ":method",
          "GET",
          ":path",
          "/api/v1/items",
          ":authority",
          "example.com",
          "user-agent",
          "bench");

  private final Path dir;
  private final PrintStream out;
  private final int scale;
  private final List<String[]> rows = new ArrayList<>();

  Benchmarks(Path dir, PrintStream out, int scale) {
    this.dir = dir;
    this.out = out;
    this.scale = scale;
  }

  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "target");
    int scale = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    new Benchmarks(dir, System.out, scale).runAll();
  }

  /** A measured figure: per-call median and minimum, in microseconds. */
  record Figure(double median, double min) {}

  void runAll() {
    out.printf(
        Locale.ROOT,
        "Rustless benchmarks — Chicory %s, %s %s, %d cores%n",
        "1.7.5",
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    Figure passCompiled = headers("passthrough.wasm", "compiler", 200_000);
    Figure headerCompiled = headers("header.wasm", "compiler", 200_000);
    Figure headerJvm = headersJvm(HeaderPlugin.class, 200_000);
    Figure headerInterp = headers("header.wasm", "interpreter", 10_000);
    Figure headerExceptions = headers("header-exceptions.wasm", "compiler", 200_000);
    row("on_request_headers, pass-through plugin (baseline)", passCompiled, "");
    row(
        "on_request_headers, adds one header",
        headerCompiled,
        ratio(headerCompiled, passCompiled, "pass-through")
            + ", "
            + ratio(headerCompiled, headerJvm, "same code on the JVM"));
    row(
        "  same, Chicory interpreter",
        headerInterp,
        ratio(headerInterp, headerCompiled, "compiler"));
    row(
        "  same, built with Wasm exceptions",
        headerExceptions,
        ratio(headerExceptions, headerCompiled, "portable build"));

    Figure bodyPass = body("passthrough.wasm", 1 << 20, 2_000);
    Figure body = body("body.wasm", 1 << 20, 2_000);
    row("on_request_body 1 MiB, pass-through (baseline)", bodyPass, "");
    row(
        "on_request_body 1 MiB, read and sum every byte",
        body,
        ratio(body, bodyPass, "pass-through")
            + String.format(Locale.ROOT, ", %.0f MiB/s", 1_000_000.0 / body.median()));

    Figure instPass = instantiate("passthrough.wasm", 300);
    Figure instHeader = instantiate("header.wasm", 300);
    row("instantiate + vm start + configure, pass-through", instPass, "");
    row(
        "instantiate + vm start + configure, header plugin",
        instHeader,
        ratio(instHeader, instPass, "pass-through"));
    print();
  }

  private int n(int calls) {
    return Math.max(1, calls / scale);
  }

  Figure headers(String wasm, String engine, int calls) {
    return withStream(
        () -> wasmVm(wasm, engine),
        (vm, stream) ->
            measure(
                n(calls),
                () -> stream.receive(MapType.HTTP_REQUEST_HEADERS, HEADERS),
                () -> vm.call(Export.REQUEST_HEADERS, 2, HEADERS.size(), 1)));
  }

  Figure headersJvm(Class<?> plugin, int calls) {
    return withStream(
        () -> instance(JvmPluginModule.of(plugin)),
        (vm, stream) ->
            measure(
                n(calls),
                () -> stream.receive(MapType.HTTP_REQUEST_HEADERS, HEADERS),
                () -> vm.call(Export.REQUEST_HEADERS, 2, HEADERS.size(), 1)));
  }

  Figure body(String wasm, int size, int calls) {
    byte[] payload = new byte[size];
    Arrays.fill(payload, (byte) 7);
    return withStream(
        () -> wasmVm(wasm, "compiler"),
        (vm, stream) -> {
          stream.receive(MapType.HTTP_REQUEST_HEADERS, HEADERS);
          stream.receive(BufferType.HTTP_REQUEST_BODY, payload);
          return measure(n(calls), () -> {}, () -> vm.call(Export.REQUEST_BODY, 2, size, 1));
        });
  }

  Figure instantiate(String wasm, int count) {
    ChicoryModule module = load(wasm, ChicoryModule.Engine.COMPILER);
    return measure(
        n(count),
        () -> {},
        () -> {
          try (Vm v = instance(module)) {
            start(v);
          }
        });
  }

  /** An engine instance of a plugin with the proxy state its host calls act on. */
  private record Vm(PluginInstance instance, VmState state) implements AutoCloseable {
    int call(Export export, int... args) {
      return instance.call(export, args);
    }

    @Override
    public void close() {
      instance.close();
    }
  }

  private interface Body {
    Figure run(Vm vm, StreamState stream);
  }

  private static Vm instance(PluginModule module) {
    VmState state = new VmState(new SharedState());
    return new Vm(module.instantiate(state), state);
  }

  private Vm wasmVm(String wasm, String engine) {
    return instance(
        load(
            wasm,
            engine.equals("interpreter")
                ? ChicoryModule.Engine.INTERPRETER
                : ChicoryModule.Engine.COMPILER));
  }

  private ChicoryModule load(String wasm, ChicoryModule.Engine engine) {
    return ChicoryModule.load(dir.resolve(wasm), engine);
  }

  private static void start(Vm v) {
    v.state().setRootContextId(1);
    v.state().setEffectiveContext(1);
    v.call(Export.CONTEXT_CREATE, 1, 0);
    v.call(Export.VM_START, 1, 0);
    v.state().setConfiguring(true);
    v.call(Export.CONFIGURE, 1, 0);
    v.state().setConfiguring(false);
  }

  private static Figure withStream(Supplier<Vm> make, Body body) {
    try (Vm v = make.get()) {
      start(v);
      StreamState stream = v.state().newStream(2);
      v.state().setEffectiveContext(2);
      v.call(Export.CONTEXT_CREATE, 2, 1);
      return body.run(v, stream);
    }
  }

  /** Runs {@code op} in rounds; {@code reset} (untimed) runs before each round. */
  static Figure measure(int calls, Runnable reset, Runnable op) {
    int perRound = Math.max(1, calls / 10);
    for (int w = 0; w < 5; w++) {
      reset.run();
      for (int i = 0; i < perRound; i++) {
        op.run();
      }
    }
    int rounds = 15;
    double[] perCall = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      reset.run();
      long t0 = System.nanoTime();
      for (int i = 0; i < perRound; i++) {
        op.run();
      }
      perCall[r] = (System.nanoTime() - t0) / 1000.0 / perRound;
    }
    Arrays.sort(perCall);
    return new Figure(perCall[rounds / 2], perCall[0]);
  }

  private static String ratio(Figure a, Figure b, String what) {
    return String.format(Locale.ROOT, "%.2f× %s", a.median() / b.median(), what);
  }

  private void row(String name, Figure f, String ratios) {
    rows.add(
        new String[] {
          name,
          String.format(Locale.ROOT, "%.2f µs", f.median()),
          String.format(Locale.ROOT, "%.2f µs", f.min()),
          ratios
        });
  }

  private void print() {
    String format = "%-52s %12s %12s  %s%n";
    out.printf(Locale.ROOT, format, "case", "median", "min", "ratio (medians)");
    for (String[] r : rows) {
      out.printf(Locale.ROOT, format, (Object[]) r);
    }
  }

  /** The figures, for the smoke test. */
  List<String[]> rows() {
    return rows;
  }
}

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
import io.rustless.v8.V8Engine;
import io.rustless.v8.host.V8PluginModule;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Measures what a request costs a Rustless plugin in the host's two Wasm engines, Chicory and V8
 * (Javet; the engine Envoy and Higress run), and prints each figure with its ratio to a baseline
 * measured in the same run (a C plugin making the same host calls, a pass-through plugin, the same
 * plugin on the JVM, the interpreter), then the engines side by side. It drives the engines of the
 * host library directly (a callback per call, no locking or stream bookkeeping; in V8 the same
 * {@code HostFunctions} as in Chicory), so what it measures is the plugin and its host calls. Not a
 * test: timings on a shared 2-core machine move by tens of percent between runs; the ratios are the
 * stable part.
 *
 * <p>Arguments: the directory of the modules, a divisor for the call counts, then {@code floor} for
 * the Java/C pairs only ({@code -Dbench.only=floor}), or {@code loop CASE ENGINE} (say {@code loop
 * say-hello chicory}) to serve one case for 20 s under a profiler such as JFR.
 *
 * <p>Method: one plugin instance per case; warm-up rounds, then {@code rounds} rounds of {@code
 * calls} calls; the per-call average of each round (the thread's CPU time); the median and the
 * minimum of those averages.
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
    Benchmarks b = new Benchmarks(dir, System.out, scale);
    if (args.length > 2 && args[2].equals("floor")) {
      b.runFloor();
    } else if (args.length > 3 && args[2].equals("loop")) {
      b.loop(args[3], Engine.valueOf(args[4].toUpperCase(Locale.ROOT)), 20);
    } else {
      b.runAll();
    }
  }

  /**
   * Only the Java-against-C pairs (header plugin, say-hello) in both engines, with the side-by-side
   * ratios: the figures performance work on the request path watches ({@code -Dbench.only=floor}).
   */
  void runFloor() {
    Pair[] header = new Pair[2];
    Pair[] hello = new Pair[2];
    for (Engine e : Engine.values()) {
      header[e.ordinal()] = floorRows(e, "header");
      hello[e.ordinal()] = floorRows(e, "hello");
    }
    print();
    floorSide(header, hello);
    printSideBySide();
    out.println();
    instructionRows();
  }

  /**
   * Serves requests with one plugin ({@code say-hello}, {@code header} or a floor variant) in one
   * engine for {@code seconds}, for a profiler to look at; prints the rate.
   */
  void loop(String which, Engine engine, int seconds) {
    Runnable r =
        switch (which) {
          case "say-hello" -> wasmRequests(engine, "say-hello.wasm", HELLO_CONFIG, true);
          case "floor-hello" -> wasmRequests(engine, "floor.wasm", FLOOR_HELLO_CONFIG, true);
          case "header" -> wasmRequests(engine, "header.wasm", "", false);
          case "floor-header" -> wasmRequests(engine, "floor.wasm", "header", false);
          default -> throw new IllegalArgumentException("no such case: " + which);
        };
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long n = 0;
    long t0 = clock();
    while (System.nanoTime() < end) {
      for (int i = 0; i < 1000; i++) {
        r.run();
      }
      n += 1000;
    }
    out.printf(
        Locale.ROOT,
        "%s in %s: %.3f µs per request%n",
        which,
        engine.label,
        (clock() - t0) / 1000.0 / n);
  }

  private void floorSide(Pair[] header, Pair[] hello) {
    int c = Engine.CHICORY.ordinal();
    int v = Engine.V8.ordinal();
    side("full request, Java adds one header", header[c].a(), header[v].a(), "");
    side("full request, C floor adds one header", header[c].b(), header[v].b(), "");
    side(
        "  Java / C floor (median of paired rounds)",
        header[c].ratio().median(),
        header[v].ratio().median());
    side("full request, say-hello (route rule, reply)", hello[c].a(), hello[v].a(), "");
    side("full request, C floor as say-hello", hello[c].b(), hello[v].b(), "");
    side(
        "  say-hello / C floor (median of paired rounds)",
        hello[c].ratio().median(),
        hello[v].ratio().median());
  }

  /** A measured figure: per-call median and minimum, in microseconds. */
  record Figure(double median, double min) {}

  /** The host's Wasm engines, as the benchmark loads modules into them. */
  enum Engine {
    CHICORY("Chicory"),
    V8("V8");

    final String label;

    Engine(String label) {
      this.label = label;
    }
  }

  private final List<String[]> sideBySide = new ArrayList<>();

  void runAll() {
    out.printf(
        Locale.ROOT,
        "Rustless benchmarks — Chicory %s, V8 %s (Javet), %s %s, %d cores; thread CPU time%n",
        "1.7.5",
        V8Engine.shared().v8Version(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    Pair[] header = new Pair[2];
    Pair[] hello = new Pair[2];
    for (Engine e : Engine.values()) {
      header[e.ordinal()] = floorRows(e, "header");
      hello[e.ordinal()] = floorRows(e, "hello");
    }
    crossingRows();

    Figure headerJvm = headersJvm(HeaderPlugin.class, 200_000);
    Figure[] pass = new Figure[2];
    Figure[] headerOnly = new Figure[2];
    Figure[] headerExceptions = new Figure[2];
    for (Engine e : Engine.values()) {
      int k = e.ordinal();
      pass[k] = headers(e, "passthrough.wasm", "compiler", 200_000);
      headerOnly[k] = headers(e, "header.wasm", "compiler", 200_000);
      headerExceptions[k] = headers(e, "header-exceptions.wasm", "compiler", 200_000);
      row("on_request_headers, pass-through plugin (baseline), " + e.label, pass[k], "");
      row(
          "on_request_headers, adds one header, " + e.label,
          headerOnly[k],
          ratio(headerOnly[k], pass[k], "pass-through")
              + ", "
              + ratio(headerOnly[k], headerJvm, "same code on the JVM"));
      if (e == Engine.CHICORY) {
        Figure headerInterp = headers(e, "header.wasm", "interpreter", 10_000);
        row(
            "  same, Chicory interpreter",
            headerInterp,
            ratio(headerInterp, headerOnly[k], "compiler"));
      }
      row(
          "  same, built with Wasm exceptions, " + e.label,
          headerExceptions[k],
          ratio(headerExceptions[k], headerOnly[k], "portable build"));
    }

    Figure[] body = new Figure[2];
    for (Engine e : Engine.values()) {
      int k = e.ordinal();
      Figure bodyPass = body(e, "passthrough.wasm", 1 << 20, 2_000);
      body[k] = body(e, "body.wasm", 1 << 20, 2_000);
      row("on_request_body 1 MiB, pass-through (baseline), " + e.label, bodyPass, "");
      row(
          "on_request_body 1 MiB, read and sum every byte, " + e.label,
          body[k],
          ratio(body[k], bodyPass, "pass-through")
              + String.format(Locale.ROOT, ", %.0f MiB/s", 1_000_000.0 / body[k].median()));
    }

    Figure[] inst = new Figure[2];
    Figure[] instHello = new Figure[2];
    for (Engine e : Engine.values()) {
      int k = e.ordinal();
      Figure instPass = instantiate(e, "passthrough.wasm", "", 300);
      inst[k] = instantiate(e, "header.wasm", "", 300);
      instHello[k] = instantiate(e, "say-hello.wasm", HELLO_CONFIG, 300);
      row("instantiate + vm start + configure, pass-through, " + e.label, instPass, "");
      row(
          "instantiate + vm start + configure, header plugin, " + e.label,
          inst[k],
          ratio(inst[k], instPass, "pass-through"));
      row(
          "instantiate + vm start + configure, say-hello, " + e.label,
          instHello[k],
          ratio(instHello[k], instPass, "pass-through"));
    }
    print();

    int c = Engine.CHICORY.ordinal();
    int v = Engine.V8.ordinal();
    floorSide(header, hello);
    side("on_request_headers, adds one header", headerOnly[c], headerOnly[v], "");
    side("  same, built with Wasm exceptions", headerExceptions[c], headerExceptions[v], "");
    side("on_request_body 1 MiB, read every byte", body[c], body[v], "");
    side("instantiate + start + configure, header", inst[c], inst[v], "");
    side("instantiate + start + configure, say-hello", instHello[c], instHello[v], "");
    for (String[] m : memoryPerVm()) {
      sideBySide.add(m);
    }
    printSideBySide();
    out.println();
    instructionRows();
  }

  private void side(String name, Figure chicory, Figure v8, String note) {
    sideBySide.add(
        new String[] {
          name,
          micros(chicory.median()),
          micros(v8.median()),
          String.format(Locale.ROOT, "%.2f×", v8.median() / chicory.median()) + note
        });
  }

  private void side(String name, double chicory, double v8) {
    sideBySide.add(
        new String[] {
          name,
          String.format(Locale.ROOT, "%.2f×", chicory),
          String.format(Locale.ROOT, "%.2f×", v8),
          ""
        });
  }

  private void printSideBySide() {
    String format = "%-48s %12s %12s  %s%n";
    out.println();
    out.printf(Locale.ROOT, format, "case (medians)", "Chicory", "V8", "V8 / Chicory");
    for (String[] r : sideBySide) {
      out.printf(Locale.ROOT, format, (Object[]) r);
    }
  }

  /** Side-by-side rows, for the smoke test. */
  List<String[]> sideBySide() {
    return sideBySide;
  }

  /**
   * What a running VM holds, per engine: say-hello instantiated, started, configured and one
   * request served, {@code VMS} times over; the Java heap after a full GC and what the V8 isolate
   * holds after a collection (its heap, external and malloc'ed memory), before and after, divided
   * by the count. Chicory keeps linear memory in the Java heap, V8 outside it.
   */
  private List<String[]> memoryPerVm() {
    List<String[]> out = new ArrayList<>();
    long[][] m = new long[2][];
    for (Engine e : Engine.values()) {
      m[e.ordinal()] = memory(e, Math.max(4, VMS / Math.min(scale, 8)));
    }
    String[] names = {
      "memory per VM: linear memory",
      "memory per VM: Java heap",
      "memory per VM: V8 heap + external"
    };
    // Chicory's linear memory is in its Java heap figure; V8's is in neither heap
    long[] total = {m[0][1] + m[0][2], m[1][0] + m[1][1] + m[1][2]};
    for (int i = 0; i <= names.length; i++) {
      boolean sum = i == names.length;
      long c = sum ? total[0] : m[0][i];
      long v = sum ? total[1] : m[1][i];
      out.add(
          new String[] {
            sum ? "memory per VM: total" : names[i],
            kib(c),
            kib(v),
            c > 0 ? String.format(Locale.ROOT, "%.2f×", (double) v / c) : ""
          });
    }
    return out;
  }

  static final int VMS = 64;

  private long[] memory(Engine e, int count) {
    PluginModule module = load(e, "say-hello.wasm", "compiler");
    List<Vm> vms = new ArrayList<>();
    // one untimed VM first: what the engine loads once (classes, the isolate) is not per VM
    Vm warm = instance(module);
    startHello(warm);
    long heap0 = heapAfterGc();
    long v80 = e == Engine.V8 ? v8Bytes() : 0; // Chicory's VMs hold nothing in V8
    try {
      for (int i = 0; i < count; i++) {
        Vm v = instance(module);
        vms.add(v);
        startHello(v);
        oneRequest(v, 2);
      }
      long heap1 = heapAfterGc();
      long v81 = e == Engine.V8 ? v8Bytes() : 0;
      return new long[] {
        warm.instance().memoryBytes(), (heap1 - heap0) / count, (v81 - v80) / count
      };
    } finally {
      for (Vm v : vms) {
        v.close();
      }
      warm.close();
    }
  }

  private static void startHello(Vm v) {
    v.state().setPluginConfiguration(HELLO_CONFIG.getBytes(StandardCharsets.UTF_8));
    v.state().setProperty(List.of("route_name"), "bench-route".getBytes(StandardCharsets.UTF_8));
    start(v, HELLO_CONFIG.length());
  }

  private static StreamState oneRequest(Vm v, int id) {
    StreamState stream = v.state().newStream(id);
    v.state().setEffectiveContext(id);
    v.call(Export.CONTEXT_CREATE, id, 1);
    stream.receive(MapType.HTTP_REQUEST_HEADERS, HEADERS);
    v.call(Export.REQUEST_HEADERS, id, HEADERS.size(), 1);
    v.call(Export.DONE, id);
    v.call(Export.LOG, id);
    v.call(Export.DELETE, id);
    v.state().dropStream(id);
    return stream;
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** What the shared V8 isolate holds after a collection. */
  private static long v8Bytes() {
    V8Engine.shared().collectGarbage();
    return V8Engine.shared().heapBytes();
  }

  private static String kib(long bytes) {
    return String.format(Locale.ROOT, "%,d KiB", bytes / 1024);
  }

  /** say-hello's configuration: a domain rule that misses, then a route rule that matches. */
  static final String HELLO_CONFIG =
      "{\"name\": \"World\", \"_rules_\": ["
          + "{\"_match_domain_\": [\"a.example.com\"], \"name\": \"domain\"},"
          + " {\"_match_route_\": [\"bench-route\"], \"name\": \"route\"}]}";

  /** The C floor plugin's configuration for the same work (see src/main/c/floor.c). */
  static final String FLOOR_HELLO_CONFIG = "hello a.example.com bench-route";

  /**
   * Java against the C floor plugin making the same host calls in {@code engine}, measured in
   * alternating rounds so that the machine's load falls on both alike; the ratio is the median of
   * the per-round ratios.
   */
  private Pair floorRows(Engine engine, String which) {
    int calls = engine == Engine.V8 ? 20_000 : 100_000;
    if (which.equals("header")) {
      Pair header =
          paired(
              () -> wasmRequests(engine, "header.wasm", "", false),
              () -> wasmRequests(engine, "floor.wasm", "header", false),
              calls);
      row("full request, C floor plugin adds one header, " + engine.label, header.b(), "");
      row(
          "full request, Java plugin adds one header, " + engine.label,
          header.a(),
          pairedRatio(header));
      return header;
    }
    Pair hello =
        paired(
            () -> wasmRequests(engine, "say-hello.wasm", HELLO_CONFIG, true),
            () -> wasmRequests(engine, "floor.wasm", FLOOR_HELLO_CONFIG, true),
            calls);
    row("full request, C floor plugin as say-hello, " + engine.label, hello.b(), "");
    row(
        "full request, say-hello (route rule, local reply), " + engine.label,
        hello.a(),
        pairedRatio(hello));
    return hello;
  }

  private static String pairedRatio(Pair p) {
    return String.format(
        Locale.ROOT,
        "%.2f× the C floor (median of paired rounds; %.2f× from the medians)",
        p.ratio().median(),
        p.a().median() / p.b().median());
  }

  /** One host call and one export call, Chicory against V8, alternating rounds. */
  private void crossingRows() {
    Crossings c = new Crossings(dir);
    Runnable[] chicory = c.chicory();
    Runnable[] v8 = c.v8();
    Pair host = paired(() -> v8[0], () -> chicory[0], 2_000);
    double loop = Crossings.LOOP;
    row(
        "host call (Wasm → Java → Wasm), Chicory compiler",
        new Figure(host.b().median() / loop, host.b().min() / loop),
        "");
    row(
        "host call (Wasm → Java → Wasm), V8 (Javet)",
        new Figure(host.a().median() / loop, host.a().min() / loop),
        String.format(Locale.ROOT, "%.2f× Chicory (paired rounds)", host.ratio().median()));
    Pair export = paired(() -> v8[1], () -> chicory[1], 200_000);
    row("export call (Java → Wasm), Chicory compiler", export.b(), "");
    row(
        "export call (Java → Wasm), V8 (Javet)",
        export.a(),
        String.format(Locale.ROOT, "%.2f× Chicory (paired rounds)", export.ratio().median()));
  }

  /** Two measured cases and the median of their per-round ratios. */
  record Pair(Figure a, Figure b, Figure ratio) {}

  /**
   * One plugin instance that serves whole requests: context create, request headers, done, log,
   * delete. The first request is checked: a reply is expected exactly when {@code replies}.
   */
  private Runnable wasmRequests(Engine engine, String wasm, String config, boolean replies) {
    return requests(wasmVm(engine, wasm, "compiler"), wasm, config, replies);
  }

  private Runnable requests(Vm v, String wasm, String config, boolean replies) {
    v.state().setPluginConfiguration(config.getBytes(StandardCharsets.UTF_8));
    v.state().setProperty(List.of("route_name"), "bench-route".getBytes(StandardCharsets.UTF_8));
    start(v, config.length());
    int[] next = {2};
    java.util.function.IntFunction<StreamState> request = id -> oneRequest(v, id);
    StreamState first = request.apply(next[0]++);
    if ((first.localReply() != null) != replies) {
      throw new IllegalStateException(
          wasm
              + " with "
              + config
              + ": local reply "
              + first.localReply()
              + ", logs "
              + v.state().pluginErrors());
    }
    return () -> request.apply(next[0]++);
  }

  /**
   * Wasm instructions a full request executes, counted by Chicory's interpreter over {@code
   * requests} requests after a warm-up (so the GC's share is averaged in): a figure that does not
   * depend on the engine, the JIT or the machine's load.
   */
  double instructionsPerRequest(String wasm, String config, boolean replies, int requests) {
    long[] count = {0};
    boolean[] counting = {false};
    VmState state = new VmState(new SharedState());
    ChicoryModule module = ChicoryModule.load(dir.resolve(wasm), ChicoryModule.Engine.INTERPRETER);
    Vm v =
        new Vm(
            module.instantiate(
                state,
                (instruction, stack) -> {
                  if (counting[0]) {
                    count[0]++;
                  }
                }),
            state);
    Runnable request = requests(v, wasm, config, replies);
    for (int i = 0; i < requests; i++) {
      request.run();
    }
    counting[0] = true;
    for (int i = 0; i < requests; i++) {
      request.run();
    }
    v.close();
    return count[0] / (double) requests;
  }

  /** Instructions per full request, Java against the C floor plugin doing the same host calls. */
  private void instructionRows() {
    int n = n(2_000);
    double header = instructionsPerRequest("header.wasm", "", false, n);
    double headerC = instructionsPerRequest("floor.wasm", "header", false, n);
    double hello = instructionsPerRequest("say-hello.wasm", HELLO_CONFIG, true, n);
    double helloC = instructionsPerRequest("floor.wasm", FLOOR_HELLO_CONFIG, true, n);
    double pass = instructionsPerRequest("passthrough.wasm", "", false, n);
    double passC = instructionsPerRequest("floor.wasm", "", false, n);
    instructionRow("pass-through", pass, passC);
    instructionRow("adds one header", header, headerC);
    instructionRow("say-hello (route rule, local reply)", hello, helloC);
  }

  private void instructionRow(String what, double java, double c) {
    String line =
        String.format(
            Locale.ROOT,
            "Wasm instructions per full request, %s: Java %,.0f, C floor %,.0f (%.2f×)",
            what,
            java,
            c,
            java / c);
    out.println(line);
    instructionLines.add(line);
  }

  private final List<String> instructionLines = new ArrayList<>();

  /** The instruction-count lines printed, for the smoke test. */
  List<String> instructionLines() {
    return instructionLines;
  }

  /** Measures {@code a} and {@code b} in alternating rounds (each built once, untimed). */
  Pair paired(Supplier<Runnable> makeA, Supplier<Runnable> makeB, int calls) {
    Runnable a = makeA.get();
    Runnable b = makeB.get();
    int perRound = Math.max(1, n(calls) / 10);
    for (int w = 0; w < 3; w++) {
      for (int i = 0; i < perRound; i++) {
        a.run();
        b.run();
      }
    }
    int rounds = 15;
    double[] ta = new double[rounds];
    double[] tb = new double[rounds];
    double[] ratio = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ta[r] = timed(a, perRound);
      tb[r] = timed(b, perRound);
      ratio[r] = ta[r] / tb[r];
    }
    return new Pair(figure(ta), figure(tb), figure(ratio));
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      ManagementFactory.getThreadMXBean();

  /**
   * The measuring thread's CPU time in nanoseconds: on a shared machine, time spent descheduled
   * would otherwise land on whichever case was running. Wall time where the JVM cannot tell.
   */
  static long clock() {
    return THREADS.isCurrentThreadCpuTimeSupported()
        ? THREADS.getCurrentThreadCpuTime()
        : System.nanoTime();
  }

  private static double timed(Runnable op, int count) {
    long t0 = clock();
    for (int i = 0; i < count; i++) {
      op.run();
    }
    return (clock() - t0) / 1000.0 / count;
  }

  private static Figure figure(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new Figure(sorted[sorted.length / 2], sorted[0]);
  }

  private int n(int calls) {
    return Math.max(1, calls / scale);
  }

  Figure headers(Engine e, String wasm, String engine, int calls) {
    return withStream(
        () -> wasmVm(e, wasm, engine),
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

  Figure body(Engine e, String wasm, int size, int calls) {
    byte[] payload = new byte[size];
    Arrays.fill(payload, (byte) 7);
    return withStream(
        () -> wasmVm(e, wasm, "compiler"),
        (vm, stream) -> {
          stream.receive(MapType.HTTP_REQUEST_HEADERS, HEADERS);
          stream.receive(BufferType.HTTP_REQUEST_BODY, payload);
          return measure(n(calls), () -> {}, () -> vm.call(Export.REQUEST_BODY, 2, size, 1));
        });
  }

  Figure instantiate(Engine e, String wasm, String config, int count) {
    PluginModule module = load(e, wasm, "compiler");
    byte[] configuration = config.getBytes(StandardCharsets.UTF_8);
    return measure(
        n(count),
        () -> {},
        () -> {
          try (Vm v = instance(module)) {
            v.state().setPluginConfiguration(configuration);
            start(v, configuration.length);
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

  private Vm wasmVm(Engine e, String wasm, String engine) {
    return instance(load(e, wasm, engine));
  }

  /** {@code wasm} in engine {@code e}; {@code variant} picks Chicory's compiler or interpreter. */
  private PluginModule load(Engine e, String wasm, String variant) {
    Path path = dir.resolve(wasm);
    if (e == Engine.V8) {
      return V8PluginModule.load(path);
    }
    return ChicoryModule.load(
        path,
        variant.equals("interpreter")
            ? ChicoryModule.Engine.INTERPRETER
            : ChicoryModule.Engine.COMPILER);
  }

  private static void start(Vm v) {
    start(v, 0);
  }

  private static void start(Vm v, int configurationSize) {
    v.state().setRootContextId(1);
    v.state().setEffectiveContext(1);
    v.call(Export.CONTEXT_CREATE, 1, 0);
    v.call(Export.VM_START, 1, 0);
    v.state().setConfiguring(true);
    v.call(Export.CONFIGURE, 1, configurationSize);
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
      long t0 = clock();
      for (int i = 0; i < perRound; i++) {
        op.run();
      }
      perCall[r] = (clock() - t0) / 1000.0 / perRound;
    }
    Arrays.sort(perCall);
    return new Figure(perCall[rounds / 2], perCall[0]);
  }

  private static String ratio(Figure a, Figure b, String what) {
    return String.format(Locale.ROOT, "%.2f× %s", a.median() / b.median(), what);
  }

  private void row(String name, Figure f, String ratios) {
    rows.add(new String[] {name, micros(f.median()), micros(f.min()), ratios});
  }

  private static String micros(double v) {
    return String.format(Locale.ROOT, v < 10 ? "%.3f µs" : "%.2f µs", v);
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

package io.rustless.v8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class V8EngineTest {
  private static final FunctionType II_I = FunctionType.i32(2);
  private static final FunctionType I_I = FunctionType.i32(1);
  private static final FunctionType VOID = new FunctionType(List.of(), List.of());
  private static final FunctionType WIDE =
      new FunctionType(List.of(ValType.I64), List.of(ValType.I64));

  private final V8Engine engine = V8Engine.shared();
  private final V8Module module = engine.compile(TestModule.bytes());

  private static List<HostImport> imports(HostFunction add, HostFunction fail) {
    return List.of(
        new HostImport("env", "add", II_I, add),
        new HostImport("env", "fail", VOID, fail),
        new HostImport("env", "wide", WIDE, (i, a) -> a[0] ^ 0x5555_5555_5555_5555L));
  }

  private V8Instance plain() {
    return module.instantiate(imports((i, a) -> (int) (a[0] + a[1]), (i, a) -> 0));
  }

  @Test
  void theModuleDescribesItsImportsAndExports() {
    assertThat(module.importedFunctions()).containsExactly("env.add", "env.fail", "env.wide");
    assertThat(module.exports()).contains("callAdd", "memory", "twice");
    assertThat(engine.compile(TestModule.bytes())).isSameAs(module);
    assertThat(engine.v8Version()).matches("\\d+\\.\\d+\\..*");
  }

  @Test
  void aJavaHostFunctionAnswersSynchronouslyInsideTheCall() {
    List<String> seen = new ArrayList<>();
    try (V8Instance vm =
        module.instantiate(
            imports(
                (i, a) -> {
                  seen.add(a[0] + "+" + a[1]);
                  return (int) (a[0] + a[1]);
                },
                (i, a) -> 0))) {
      assertThat(vm.call("callAdd", II_I, 40, 2)).isEqualTo(42);
      assertThat(vm.call("callAdd", II_I, -5, 2)).isEqualTo(-3);
      assertThat(vm.call("twice", II_I, 1, 10)).isEqualTo(21);
      assertThat(seen).containsExactly("40+2", "-5+2", "1+10", "11+10");
    }
  }

  @Test
  void i64ValuesCrossWhole() {
    try (V8Instance vm = plain()) {
      long x = 0x7123_4567_89AB_CDEFL;
      assertThat(vm.call("wide", WIDE, x)).isEqualTo(x ^ 0x5555_5555_5555_5555L);
      assertThat(vm.call("wide", WIDE, -1L)).isEqualTo(~0x5555_5555_5555_5555L);
    }
  }

  @Test
  void memoryIsSharedWithoutCopies() {
    AtomicReference<V8Instance> self = new AtomicReference<>();
    try (V8Instance vm =
        module.instantiate(
            imports(
                (i, a) -> {
                  // a host function writes into guest memory and reads it back through the guest
                  i.memory().put((int) a[0], (byte) a[1]);
                  return (int) i.call("load", I_I, a[0]);
                },
                (i, a) -> 0))) {
      self.set(vm);
      ByteBuffer memory = vm.memory();
      assertThat(memory.isDirect()).isTrue();
      assertThat(memory.capacity()).isEqualTo(65536);
      memory.put(100, (byte) 0xAB);
      assertThat(vm.call("load", I_I, 100)).isEqualTo(0xAB);
      assertThat(vm.call("callAdd", II_I, 200, 77)).isEqualTo(77); // re-entrant: host → load
      assertThat(memory.get(200)).isEqualTo((byte) 77);
    }
  }

  @Test
  void grownMemoryIsSeenAtItsNewSize() {
    try (V8Instance vm = plain()) {
      assertThat(vm.memoryBytes()).isEqualTo(65536);
      assertThat(vm.call("grow", I_I, 3)).isEqualTo(1);
      assertThat(vm.memoryBytes()).isEqualTo(4 * 65536);
      vm.memory().put(4 * 65536 - 1, (byte) 9);
      assertThat(vm.call("load", I_I, 4 * 65536 - 1)).isEqualTo(9);
    }
  }

  @Test
  void trapsComeOutWithV8sMessageAndTheInstanceStaysUsable() {
    try (V8Instance vm = plain()) {
      assertThatThrownBy(() -> vm.call("trap", VOID))
          .isInstanceOfSatisfying(
              WasmException.class, e -> assertThat(e.kind()).isEqualTo(WasmException.Kind.TRAP))
          .hasMessageContaining("unreachable");
      assertThatThrownBy(() -> vm.call("load", I_I, 65536))
          .isInstanceOf(WasmException.class)
          .hasMessageContaining("out of bounds");
      assertThatThrownBy(() -> vm.call("recurse", VOID))
          .isInstanceOf(WasmException.class)
          .hasMessageContaining("stack");
      assertThat(vm.call("callAdd", II_I, 1, 2)).isEqualTo(3);
    }
  }

  @Test
  void anExceptionOfAHostFunctionUnwindsTheModuleAndComesOutUnchanged() {
    IllegalStateException boom = new IllegalStateException("boom");
    try (V8Instance vm =
        module.instantiate(
            imports(
                (i, a) -> (int) (a[0] + a[1]),
                (i, a) -> {
                  throw boom;
                }))) {
      assertThatThrownBy(() -> vm.call("callFail", VOID)).isSameAs(boom);
      assertThat(vm.call("callAdd", II_I, 1, 2)).isEqualTo(3);
    }
  }

  @Test
  void aMissingImportIsNamed() {
    assertThatThrownBy(
            () -> module.instantiate(List.of(new HostImport("env", "add", II_I, (i, a) -> 0))))
        .isInstanceOfSatisfying(
            WasmException.class, e -> assertThat(e.kind()).isEqualTo(WasmException.Kind.LINK))
        .hasMessageContaining("env.fail")
        .hasMessageContaining("env.wide");
  }

  @Test
  void brokenBytesDoNotCompile() {
    byte[] bytes = TestModule.bytes();
    assertThatThrownBy(() -> engine.compile(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOfSatisfying(
            WasmException.class, e -> assertThat(e.kind()).isEqualTo(WasmException.Kind.COMPILE))
        .hasMessageContaining("CompileError");
  }

  @Test
  void unknownExportsAreEmptyAndClosedInstancesRefuseCalls() {
    V8Instance vm = plain();
    assertThat(vm.export("nope", VOID)).isEmpty();
    assertThat(vm.export("memory", VOID)).isEmpty();
    vm.close();
    assertThatThrownBy(() -> vm.call("callAdd", II_I, 1, 2))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void memoryOfClosedInstancesIsReclaimed() throws Exception {
    // 100 instances of 64 MiB each, every page written: 6.4 GiB resident if V8 kept them
    long before = residentBytes();
    for (int k = 0; k < 100; k++) {
      try (V8Instance vm = plain()) {
        assertThat(vm.call("grow", I_I, 1023)).isEqualTo(1);
        ByteBuffer memory = vm.memory();
        for (int page = 0; page < 1024; page++) {
          memory.put(page * 65536 + 1, (byte) 1);
        }
        assertThat(vm.call("load", I_I, 1023 * 65536 + 1)).isEqualTo(1);
      }
    }
    assertThat(residentBytes() - before).isLessThan(2L << 30);
  }

  private static long residentBytes() throws java.io.IOException {
    for (String line :
        java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  @Test
  void instancesMayBeUsedFromOtherThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int base = t * 1000;
        results.add(
            pool.submit(
                () -> {
                  try (V8Instance vm = plain()) {
                    long sum = 0;
                    for (int k = 0; k < 200; k++) {
                      sum += vm.call("callAdd", II_I, base, k);
                    }
                    return sum;
                  }
                }));
      }
      for (int t = 0; t < 8; t++) {
        assertThat(results.get(t).get()).isEqualTo(200L * t * 1000 + 199 * 200 / 2);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

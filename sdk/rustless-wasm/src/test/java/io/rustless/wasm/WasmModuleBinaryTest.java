package io.rustless.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.wasm.WasmModuleBinary.Export;
import io.rustless.wasm.WasmModuleBinary.MemoryLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WasmModuleBinaryTest {

  private static WasmModuleBinary sample() {
    return WasmModuleBinary.parse(
        new ModuleAssembler()
            .importFunction("env", "proxy_log", "iii:i")
            .importFunction("wasi_snapshot_preview1", "clock_time_get", "iIi:i")
            .memory(73, 73)
            .export(
                "memory", "_initialize", "_start", "teavm_gc_collect", "proxy_abi_version_0_2_100")
            .build());
  }

  @Test
  void readsImportsWithSignaturesExportsAndMemories() {
    WasmModuleBinary m = sample();
    assertThat(m.imports())
        .extracting(Object::toString)
        .containsExactly("env.proxy_log", "wasi_snapshot_preview1.clock_time_get");
    assertThat(m.imports().get(1).type().toString()).isEqualTo("(i32,i64,i32)->i32");
    assertThat(m.exports())
        .extracting(Export::name)
        .containsExactly(
            "memory", "_initialize", "_start", "teavm_gc_collect", "proxy_abi_version_0_2_100");
    assertThat(m.memories()).containsExactly(new MemoryLimits(73, 73));
  }

  @Test
  void removesTheMemoryMaximum() {
    WasmModuleBinary m = WasmModuleBinary.parse(sample().withoutMemoryMaximum().toBytes());
    assertThat(m.memories()).containsExactly(new MemoryLimits(73, -1));
    assertThat(m.imports()).hasSize(2);
  }

  @Test
  void renamesAndRemovesExports() {
    WasmModuleBinary m =
        WasmModuleBinary.parse(
            sample()
                .withExportRenamed("proxy_abi_version_0_2_100", "proxy_abi_version_0_2_1")
                .withoutExports(n -> n.equals("_start") || n.startsWith("teavm_"))
                .toBytes());
    assertThat(m.exports())
        .extracting(Export::name)
        .containsExactly("memory", "_initialize", "proxy_abi_version_0_2_1");
    assertThatThrownBy(() -> m.withExportRenamed("nope", "x"))
        .isInstanceOf(WasmFormatException.class)
        .hasMessage("no export named nope");
  }

  @Test
  void packingDataSegmentsKeepsTheMemoryImage() {
    Random random = new Random(3);
    byte[] image = new byte[5000];
    for (int i = 0; i < image.length; i++) {
      // islands of data in a sea of zeros, plus short zero runs inside the islands
      boolean island = (i / 300) % 2 == 0;
      image[i] = island && random.nextInt(4) != 0 ? (byte) (1 + random.nextInt(255)) : 0;
    }
    byte[] original = new ModuleAssembler().export("memory").data(256, image).build();
    WasmModuleBinary packed = WasmModuleBinary.parse(original).withPackedDataSegments(16);
    assertThat(packed.toBytes().length).isLessThan(original.length);
    assertThat(memoryImage(packed, 256 + image.length))
        .isEqualTo(memoryImage(WasmModuleBinary.parse(original), 256 + image.length));
  }

  @Test
  void rejectsWhatIsNotAModule() {
    assertThatThrownBy(() -> WasmModuleBinary.parse(new byte[] {1, 2, 3}))
        .isInstanceOf(WasmFormatException.class)
        .hasMessageContaining("not a WebAssembly 1.0 module");
    byte[] truncated = sample().toBytes();
    byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 3);
    assertThatThrownBy(() -> WasmModuleBinary.parse(cut)).isInstanceOf(WasmFormatException.class);
  }

  /** Applies the active data segments to a zeroed memory, as instantiation does. */
  private static byte[] memoryImage(WasmModuleBinary m, int size) {
    byte[] memory = new byte[size];
    for (WasmModuleBinary.Section s : m.sections()) {
      if (s.id() != 11) {
        continue;
      }
      ByteReader r = new ByteReader(s.payload(), 0, s.payload().length);
      long n = r.u32();
      List<int[]> unused = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        r.u8(); // flags
        r.u8(); // i32.const
        int offset = (int) r.u32(); // small positive offsets: unsigned == signed here
        r.u8(); // end
        int len = r.u32AsInt();
        for (int k = 0; k < len; k++) {
          memory[offset + k] = s.payload()[r.position() + k];
        }
        r.skip(len);
        unused.add(new int[] {offset, len});
      }
    }
    return memory;
  }
}

package io.rustless.build.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import io.rustless.wasm.ModuleAssembler;
import io.rustless.wasm.WasmModuleBinary;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DataCompressionTest {

  /** Data shaped like TeaVM's: UTF-16 strings, small ints, pointers, zero padding. */
  private static byte[] teavmLikeData(int size, long seed) {
    Random random = new Random(seed);
    byte[] b = new byte[size];
    int i = 0;
    while (i < size) {
      switch (random.nextInt(4)) {
        case 0 -> { // a UTF-16 string: ASCII char, zero high byte
          byte[] s = ("name-" + random.nextInt(1000)).getBytes(StandardCharsets.US_ASCII);
          for (int k = 0; k < s.length && i + 1 < size; k++, i += 2) {
            b[i] = s[k];
          }
        }
        case 1 -> { // a small int, little-endian
          if (i + 4 <= size) {
            b[i] = (byte) random.nextInt(256);
          }
          i += 4;
        }
        case 2 -> { // a pointer
          int p = 1024 + random.nextInt(60_000);
          for (int k = 0; k < 4 && i < size; k++, i++) {
            b[i] = (byte) (p >>> (8 * k));
          }
        }
        default -> i += random.nextInt(24); // padding
      }
    }
    return b;
  }

  private static byte[] memoryAfterStart(byte[] module, int length) {
    Instance instance =
        Instance.builder(Parser.parse(module)).withImportValues(ImportValues.empty()).build();
    return instance.memory().readBytes(0, length);
  }

  @Test
  void compressedModuleStartsWithTheSameMemory() {
    byte[] original =
        new ModuleAssembler()
            .data(1024, teavmLikeData(20_000, 1))
            .data(21_100, teavmLikeData(3_000, 2)) // a gap small enough to merge
            .data(40_000, teavmLikeData(24_000, 3))
            .build();
    WasmModuleBinary compressed = DataCompression.apply(WasmModuleBinary.parse(original));
    byte[] packed = compressed.toBytes();

    assertThat(packed.length).isLessThan(original.length - 15_000);
    assertThat(compressed.sections().stream().filter(s -> s.id() == 8)).hasSize(1);
    // 64 KiB of original memory plus the page added for the stream, which must end up all zeros
    assertThat(memoryAfterStart(packed, 2 * 65536))
        .isEqualTo(java.util.Arrays.copyOf(memoryAfterStart(original, 65536), 2 * 65536));
  }

  @Test
  void originalStartFunctionRunsAfterTheDataIsInPlace() {
    byte[] data = teavmLikeData(30_000, 4);
    data[5000] = 0x5A;
    byte[] original = new ModuleAssembler().data(1000, data).startCopyingByte(6000, 60_000).build();
    byte[] packed = DataCompression.apply(WasmModuleBinary.parse(original)).toBytes();

    assertThat(packed.length).isLessThan(original.length);
    assertThat(memoryAfterStart(packed, 65536)[60_000]).isEqualTo((byte) 0x5A);
    assertThat(memoryAfterStart(packed, 65536)).isEqualTo(memoryAfterStart(original, 65536));
  }

  @Test
  void moduleThatWouldNotShrinkIsLeftAsItIs() {
    byte[] dense = new byte[64];
    new Random(5).nextBytes(dense);
    for (int i = 0; i < dense.length; i++) {
      dense[i] |= 1; // no zero byte to elide
    }
    byte[] original = new ModuleAssembler().data(1024, dense).build();
    assertThat(DataCompression.apply(WasmModuleBinary.parse(original)).toBytes())
        .isEqualTo(original);
  }

  @Test
  void moduleWithoutDataIsLeftAsItIs() {
    byte[] original = new ModuleAssembler().export("memory").build();
    assertThat(DataCompression.apply(WasmModuleBinary.parse(original)).toBytes())
        .isEqualTo(original);
  }

  @Test
  void overlappingRepeatedAndFarMatchesRoundTrip() {
    byte[] data = new byte[60_000];
    int i = 0;
    for (; i < 5_000; i++) {
      data[i] = (byte) ("ab".charAt(i % 2)); // distance 2, overlapping copies
    }
    Random random = new Random(6);
    byte[] record = new byte[24];
    random.nextBytes(record);
    for (; i < 20_000; i += 24) { // vtable-like records: the same distance again and again
      System.arraycopy(record, 0, data, i, 24);
      data[i + 3] = (byte) (i >>> 5);
    }
    for (; i < 30_000; i++) {
      data[i] = (byte) random.nextInt(256); // incompressible: long literal runs, lone zeros
    }
    System.arraycopy(data, 21_000, data, 55_000, 4_000); // a match 34,000 bytes back
    byte[] far = teavmLikeData(2_000, 7);
    byte[] original =
        new ModuleAssembler()
            .memory(5, -1)
            .data(300, data)
            .data(200_000, far)
            .data(262_000, far)
            .build();
    byte[] packed = DataCompression.apply(WasmModuleBinary.parse(original)).toBytes();

    assertThat(packed.length).isLessThan(original.length - 30_000);
    assertThat(memoryAfterStart(packed, 5 * 65536))
        .isEqualTo(memoryAfterStart(original, 5 * 65536));
  }

  @Test
  void everyZeroPatternOfAGroupRoundTrips() {
    // 256 groups of 8 bytes: group k has a non-zero byte exactly where k's bits are set
    byte[] data = new byte[256 * 8 + 3]; // and a ragged tail
    for (int k = 0; k < 256; k++) {
      for (int j = 0; j < 8; j++) {
        if ((k & (1 << j)) != 0) {
          data[k * 8 + j] = (byte) (k ^ (j * 37) | 1);
        }
      }
    }
    data[data.length - 1] = 7;
    byte[] original = new ModuleAssembler().data(4096, data).build();
    byte[] packed = DataCompression.apply(WasmModuleBinary.parse(original)).toBytes();

    assertThat(packed.length).isLessThan(original.length);
    assertThat(memoryAfterStart(packed, 65536)).isEqualTo(memoryAfterStart(original, 65536));
  }
}

package io.rustless.build.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import io.rustless.wasm.ByteWriter;
import io.rustless.wasm.WasmModuleBinary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodePeepholeTest {

  /** f(x): both rewrite patterns twice, among blocks, memory, constants, br_table, memory.fill. */
  private static final int[] BODY = {
    0x01, 0x02, 0x7F, // two i32 locals: 1 and 2
    0x20, 0x00, 0x21, 0x01, 0x20, 0x01, // local.get 0; local.set 1; local.get 1 -> tee
    0x41, 0x0A, 0x6A, 0x21, 0x02, // local 2 = x + 10
    0x02, 0x7F, // block (result i32)
    0x20, 0x02, // local.get 2
    0x20, 0x00, 0x45, 0x45, 0x0D, 0x00, // x != 0 -> leave the block with local 2
    0x1A, 0x41, 0x79, // drop; i32.const -7
    0x0B, // end
    0x21, 0x01, 0x20, 0x01, // local.set 1; local.get 1 -> tee
    0x21, 0x01, // local.set 1 (not followed by a get: kept)
    0x41, 0xE4, 0x00, 0x20, 0x01, 0x36, 0x02, 0x00, // i32.store(100, local 1)
    0x42, 0xF9, 0xD2, 0xB4, 0x7F, 0x1A, // i64.const -1234567; drop
    0x44, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0x1A, // f64.const 1.5; drop
    0x43, 0, 0, 0, 0x40, 0x1A, // f32.const 2; drop
    0x41, 0xC8, 0x01, 0x41, 0x00, 0x41, 0x08, 0xFC, 0x0B, 0x00, // memory.fill(200, 0, 8)
    0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0x41, 0x03, 0x71, 0x0E, 0x02, 0x00, 0x01, 0x00, 0x0B, 0x0B,
    0x41, 0xE4, 0x00, 0x28, 0x02, 0x00, // i32.load(100)
    0x20, 0x00, 0x45, 0x45, // x != 0, normalised twice
    0x04, 0x7F, 0x41, 0x01, 0x05, 0x41, 0x00, 0x0B, // if (result i32) 1 else 0
    0x6A, // add
    0x0B
  };

  private static byte[] module(int[] body) {
    byte[] code = new ByteWriter().raw(body).toByteArray();
    return new ByteWriter()
        .raw(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00)
        .section(1, new byte[] {0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F}) // (i32) -> i32
        .section(3, new byte[] {0x01, 0x00})
        .section(5, new byte[] {0x01, 0x00, 0x01})
        .section(7, new byte[] {0x01, 0x01, 'f', 0x00, 0x00})
        .section(10, new ByteWriter().u32(1).u32(code.length).bytes(code).toByteArray())
        .toByteArray();
  }

  private static int call(byte[] module, int x) {
    Instance instance =
        Instance.builder(Parser.parse(module)).withImportValues(ImportValues.empty()).build();
    return (int) instance.export("f").apply(x)[0];
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5, -3, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void rewrittenFunctionComputesTheSame(int x) {
    byte[] original = module(BODY);
    byte[] optimized = CodePeephole.apply(WasmModuleBinary.parse(original)).toBytes();

    assertThat(call(optimized, x)).isEqualTo(call(original, x)).isEqualTo(x != 0 ? x + 11 : -7);
  }

  @Test
  void eachRewriteSavesItsTwoBytes() {
    byte[] original = module(BODY);
    byte[] optimized = CodePeephole.apply(WasmModuleBinary.parse(original)).toBytes();

    // two set/get pairs become tees, two eqz pairs go: 4 x 2 bytes
    assertThat(original.length - optimized.length).isEqualTo(8);
  }

  /** TeaVM's subtype test of a class whose subclasses have tags in [lo, hi). */
  private static int[] subtypeTest(int lo, int hi) {
    byte[] b =
        new ByteWriter()
            .raw(0x00, 0x20, 0x00, 0x28, 0x02, 0x10, 0x21, 0x00, 0x20, 0x00, 0x41)
            .s32(lo)
            .raw(0x48, 0x04, 0x40, 0x41, 0x00, 0x0F, 0x0B, 0x20, 0x00, 0x41)
            .s32(hi)
            .raw(0x4E, 0x04, 0x40, 0x41, 0x00, 0x0F, 0x0B, 0x41, 0x01, 0x0F, 0x0B)
            .toByteArray();
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] & 0xFF;
    }
    return out;
  }

  private static int isSubtype(byte[] module, int tag) {
    Instance instance =
        Instance.builder(Parser.parse(module)).withImportValues(ImportValues.empty()).build();
    instance.memory().writeI32(1000 + 16, tag);
    return (int) instance.export("f").apply(1000)[0];
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0,390", "357,359", "5,5", "-20,3", "-2147483648,2147483647", "8000,9000"})
  void subtypeTestBecomesOneUnsignedCompareWithTheSameAnswers(String bounds) {
    int lo = Integer.parseInt(bounds.split(",")[0]);
    int hi = Integer.parseInt(bounds.split(",")[1]);
    byte[] original = module(subtypeTest(lo, hi));
    byte[] optimized = CodePeephole.apply(WasmModuleBinary.parse(original)).toBytes();

    assertThat(optimized.length).isLessThan(original.length - 15);
    for (int tag :
        new int[] {
          lo,
          hi,
          lo - 1,
          hi - 1,
          lo + 1,
          hi + 1,
          0,
          -1,
          1,
          357,
          389,
          390,
          Integer.MIN_VALUE,
          Integer.MAX_VALUE
        }) {
      int expected = tag >= lo && tag < hi ? 1 : 0;
      assertThat(isSubtype(original, tag)).as("original, tag %d", tag).isEqualTo(expected);
      assertThat(isSubtype(optimized, tag)).as("optimized, tag %d", tag).isEqualTo(expected);
    }
  }

  @Test
  void emptyRangeTheWrongWayRoundIsLeftAlone() {
    byte[] original = module(subtypeTest(10, 3));
    byte[] optimized = CodePeephole.apply(WasmModuleBinary.parse(original)).toBytes();

    // only the generic set/get rewrite applies
    assertThat(original.length - optimized.length).isEqualTo(2);
    assertThat(isSubtype(optimized, 5)).isZero();
  }

  @Test
  void bodyWithAnUnknownInstructionIsCopiedAsItIs() {
    byte[] body = {
      0x00, 0x20, 0x00, 0x21, 0x01, (byte) 0xFD, 0x0C, 0x0B // SIMD prefix: not decoded
    };
    assertThat(CodePeephole.optimize(body)).isSameAs(body);
  }

  @Test
  void truncatedBodyIsCopiedAsItIs() {
    byte[] body = {0x00, 0x41}; // i32.const without its immediate
    assertThat(CodePeephole.optimize(body)).isSameAs(body);
  }
}

package io.rustless.host.chicory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import io.rustless.wasm.ByteWriter;
import org.junit.jupiter.api.Test;

class LegacyExceptionsTest {

  /**
   * f(x): throws 42 when x == 0 (outer catch adds 500); x == 1 branches out of two try bodies with
   * 7; x == 2 throws 99 inside a nested try (inner catch adds 1000); else x.
   */
  private static final int[] F = {
    0x00, 0x06, 0x7F, // try (result i32)
    0x02, 0x40, 0x20, 0x00, 0x0D, 0x00, 0x41, 0x2A, 0x08, 0x00, 0x0B, // if (x == 0) throw 42
    0x06, 0x7F, // try (result i32)
    0x20, 0x00, 0x41, 0x01, 0x46, 0x04, 0x40, 0x41, 0x07, 0x0C, 0x02, 0x0B, // x == 1: br 2 with 7
    0x20, 0x00, 0x41, 0x02, 0x46, 0x04, 0x40, 0x41, 0xE3, 0x00, 0x08, 0x00, 0x0B, // x == 2: throw
    0x20, 0x00, 0x07, 0x00, 0x41, 0xE8, 0x07, 0x6A, // catch: + 1000
    0x0B, 0x07, 0x00, 0x41, 0xF4, 0x03, 0x6A, // catch: + 500
    0x0B, 0x0B
  };

  /** h(x): throws x, catch_all answers 3. */
  private static final int[] H = {
    0x00, 0x06, 0x7F, 0x20, 0x00, 0x08, 0x00, 0x19, 0x41, 0x03, 0x0B, 0x0B
  };

  /** k(x): a try without handler around x. */
  private static final int[] K = {0x00, 0x06, 0x7F, 0x20, 0x00, 0x0B, 0x0B};

  private static byte[] module(int[]... bodies) {
    ByteWriter functions = new ByteWriter().u32(bodies.length);
    ByteWriter exports = new ByteWriter().u32(bodies.length);
    ByteWriter code = new ByteWriter().u32(bodies.length);
    for (int i = 0; i < bodies.length; i++) {
      functions.u8(0x00);
      exports.name(String.valueOf((char) ('f' + i))).u8(0x00).u32(i);
      code.u32(bodies[i].length).raw(bodies[i]);
    }
    return new ByteWriter()
        .raw(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00)
        .section(
            1,
            new ByteWriter()
                .raw(0x02, 0x60, 0x01, 0x7F, 0x01, 0x7F, 0x60, 0x01, 0x7F, 0x00)
                .toByteArray())
        .section(3, functions.toByteArray())
        .section(13, new byte[] {0x01, 0x00, 0x01}) // one tag carrying an i32
        .section(7, exports.toByteArray())
        .section(10, code.toByteArray())
        .toByteArray();
  }

  private static int call(byte[] module, String name, int x) {
    Instance instance =
        Instance.builder(Parser.parse(module)).withImportValues(ImportValues.empty()).build();
    return (int) instance.export(name).apply(x)[0];
  }

  @Test
  void triesBecomeTryTablesThatCatchBranchAndNestTheSame() {
    byte[] translated = LegacyExceptions.toExnref(module(F, H, K));

    assertThat(call(translated, "f", 0)).isEqualTo(542);
    assertThat(call(translated, "f", 1)).isEqualTo(7);
    assertThat(call(translated, "f", 2)).isEqualTo(1099);
    assertThat(call(translated, "f", 5)).isEqualTo(5);
    assertThat(call(translated, "g", 9)).isEqualTo(3);
    assertThat(call(translated, "h", 4)).isEqualTo(4);
  }

  @Test
  void chicoryRefusesTheLegacyEncodingItself() {
    // the reason for the translation: without it the test host could not load these modules
    assertThatThrownBy(() -> Parser.parse(module(F))).hasMessageContaining("op value 06");
  }

  @Test
  void moduleWithoutExceptionsIsReturnedAsItIs() {
    byte[] plain = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    assertThat(LegacyExceptions.toExnref(plain)).isSameAs(plain);
  }

  @Test
  void delegateIsRefusedByName() {
    int[] delegating = {0x00, 0x06, 0x7F, 0x20, 0x00, 0x18, 0x00, 0x0B};
    assertThatThrownBy(() -> LegacyExceptions.toExnref(module(delegating)))
        .isInstanceOf(LegacyExceptions.UnsupportedException.class)
        .hasMessageContaining("delegate");
  }
}

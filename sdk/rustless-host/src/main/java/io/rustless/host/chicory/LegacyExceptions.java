package io.rustless.host.chicory;

import io.rustless.wasm.ByteReader;
import io.rustless.wasm.ByteWriter;
import io.rustless.wasm.Instructions;
import io.rustless.wasm.WasmFormatException;
import io.rustless.wasm.WasmModuleBinary;
import io.rustless.wasm.WasmModuleBinary.FuncType;
import io.rustless.wasm.WasmModuleBinary.Section;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a module's legacy exception handling ({@code try … catch … end}, what TeaVM emits and
 * what V8, Envoy's and Higress's default runtime, runs) to the final exception-handling encoding
 * ({@code try_table}), which is the one Chicory implements. Everything else is copied byte for
 * byte, so the host runs exactly the plugin's code.
 *
 * <p>{@code try bt B catch t H end} becomes {@code block bt; block (result t's params); try_table
 * bt (catch t 0) B end; br 1; end; H; end}. Inside {@code B} every branch that leaves the {@code
 * try} crosses two more labels; inside {@code H} nothing changes. {@code catch_all} maps to a
 * {@code catch_all} clause; a {@code try} without handler is a plain block. {@code rethrow}, {@code
 * delegate}, several handlers on one {@code try} and typed multi-value blocks are not used by TeaVM
 * and are refused.
 */
public final class LegacyExceptions {
  private static final int BLOCK = 0x02;
  private static final int LOOP = 0x03;
  private static final int IF = 0x04;
  private static final int END = 0x0B;
  private static final int BR = 0x0C;
  private static final int BR_IF = 0x0D;
  private static final int BR_TABLE = 0x0E;
  private static final int TRY_TABLE = 0x1F;

  private LegacyExceptions() {}

  /** Thrown for a module this translation does not handle. */
  public static final class UnsupportedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedException(String message) {
      super(message);
    }
  }

  /** The module with every legacy {@code try} rewritten; {@code module} itself if it has none. */
  public static byte[] toExnref(byte[] module) {
    WasmModuleBinary binary;
    try {
      binary = WasmModuleBinary.parse(module);
    } catch (WasmFormatException e) {
      return module; // not ours to judge: the engine's parser says what is wrong
    }
    Section code = binary.find(WasmModuleBinary.SECTION_CODE);
    if (binary.find(WasmModuleBinary.SECTION_TAG) == null || code == null) {
      return module;
    }
    List<FuncType> tags = binary.tagTypes();
    byte[] payload = code.payload();
    ByteReader r = new ByteReader(payload, 0, payload.length);
    long n = r.u32();
    ByteWriter out = new ByteWriter().u32(n);
    for (long f = 0; f < n; f++) {
      int size = r.u32AsInt();
      int start = r.position();
      r.skip(size);
      byte[] body = java.util.Arrays.copyOfRange(payload, start, start + size);
      byte[] rewritten = new BodyRewriter(body, tags).run();
      out.u32(rewritten.length).bytes(rewritten);
    }
    return binary
        .withSection(new Section(WasmModuleBinary.SECTION_CODE, out.toByteArray()))
        .toBytes();
  }

  private static final class BodyRewriter {
    private static final int OTHER = 0;
    private static final int TRY_BODY = 1;
    private static final int TRY_HANDLER = 2;

    final byte[] b;
    final List<FuncType> tags;
    final Instructions code;
    final ByteWriter out = new ByteWriter();
    final List<Integer> frames = new ArrayList<>();

    BodyRewriter(byte[] body, List<FuncType> tags) {
      this.b = body;
      this.tags = tags;
      this.code = Instructions.decode(body);
      if (code == null) {
        throw new UnsupportedException("a function body with an instruction it cannot read");
      }
    }

    byte[] run() {
      int[] starts = code.starts();
      out.bytes(b, 0, code.header());
      for (int i = 0; i < code.count(); i++) {
        instruction(i, starts[i], starts[i + 1]);
      }
      if (!frames.isEmpty()) {
        throw new UnsupportedException("function body does not end where its size says");
      }
      return out.toByteArray();
    }

    private void instruction(int i, int at, int next) {
      int op = code.ops()[i];
      switch (op) {
        case BLOCK, LOOP, IF -> {
          frames.add(OTHER);
          out.bytes(b, at, next - at);
        }
        case Instructions.TRY -> tryStart(i, at);
        case Instructions.CATCH, Instructions.CATCH_ALL -> handler(at);
        case END -> {
          if (!frames.isEmpty() && frames.remove(frames.size() - 1) == TRY_HANDLER) {
            out.u8(END); // the outer block; the handler's block already ended
            return;
          }
          out.u8(END);
        }
        case BR, BR_IF -> out.u8(op).u32(newDepth(code.args()[i]));
        case BR_TABLE -> {
          ByteReader r = new ByteReader(b, at + 1, next);
          long count = r.u32();
          out.u8(op).u32(count);
          for (long t = 0; t <= count; t++) {
            out.u32(newDepth(r.u32()));
          }
        }
        case Instructions.RETHROW, Instructions.DELEGATE ->
            throw new UnsupportedException("rethrow/delegate at offset " + at);
        default -> out.bytes(b, at, next - at);
      }
    }

    private void tryStart(int i, int at) {
      int type = b[at + 1] & 0xFF;
      if (!(type == 0x40 || type == 0x7F || type == 0x7E || type == 0x7D || type == 0x7C)) {
        throw new UnsupportedException("try with a typed block at offset " + at);
      }
      // a try without handler is a plain block
      int handler = handlerOf(i);
      if (handler < 0) {
        frames.add(OTHER);
        out.u8(BLOCK).u8(type);
        return;
      }
      frames.add(TRY_BODY);
      out.u8(BLOCK).u8(type); // the construct's label: where the try's own label pointed
      out.u8(BLOCK); // the handler's block, entered with the exception's values
      boolean all = code.ops()[handler] == Instructions.CATCH_ALL;
      if (all) {
        out.u8(0x40);
      } else {
        List<String> params = tags.get((int) code.args()[handler]).params();
        if (params.size() > 1) {
          throw new UnsupportedException("a tag with several values at offset " + at);
        }
        out.u8(params.isEmpty() ? 0x40 : WasmModuleBinary.valueTypeCode(params.get(0)));
      }
      out.u8(TRY_TABLE).u8(type).u8(0x01); // one catch clause
      if (all) {
        out.u8(0x02); // catch_all
      } else {
        out.u8(0x00).u32(code.args()[handler]); // catch tag
      }
      out.u8(0x00); // to the handler's block
    }

    /** The index of the try at {@code i}'s handler, or -1 if its end comes first. */
    private int handlerOf(int i) {
      int[] ops = code.ops();
      int depth = 0;
      for (int k = i + 1; k < ops.length; k++) {
        switch (ops[k]) {
          case BLOCK, LOOP, IF, Instructions.TRY -> depth++;
          case END -> {
            if (depth-- == 0) {
              return -1;
            }
          }
          case Instructions.CATCH, Instructions.CATCH_ALL -> {
            if (depth == 0) {
              return k;
            }
          }
          case Instructions.RETHROW, Instructions.DELEGATE ->
              throw new UnsupportedException("rethrow/delegate at offset " + code.starts()[k]);
          default -> {}
        }
      }
      throw new UnsupportedException("unterminated try");
    }

    private void handler(int at) {
      if (frames.isEmpty() || frames.get(frames.size() - 1) != TRY_BODY) {
        throw new UnsupportedException("a second handler or a stray catch at offset " + at);
      }
      frames.set(frames.size() - 1, TRY_HANDLER);
      out.u8(END); // end try_table
      out.u8(BR).u8(0x01); // normal completion skips the handler
      out.u8(END); // end of the handler's block: the exception's values are on the stack
    }

    private long newDepth(long depth) {
      long labels = 0;
      for (long i = 0; i <= depth; i++) {
        int index = frames.size() - 1 - (int) i;
        if (index < 0) {
          labels += 1; // the function's own label
          continue;
        }
        labels += frames.get(index) == TRY_BODY ? 3 : 1;
      }
      return labels - 1;
    }
  }
}

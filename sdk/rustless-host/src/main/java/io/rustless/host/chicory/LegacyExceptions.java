package io.rustless.testing.wasm;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a module's legacy exception handling ({@code try … catch … end}, what TeaVM emits and
 * what V8, Envoy's and Higress's default runtime, runs) to the final exception-handling encoding
 * ({@code try_table}), which is the one Chicory implements. Everything else is copied byte for
 * byte, so the test host runs exactly the plugin's code.
 *
 * <p>{@code try bt B catch t H end} becomes {@code block bt; block (result t's params); try_table
 * bt (catch t 0) B end; br 1; end; H; end}. Inside {@code B} every branch that leaves the {@code
 * try} crosses two more labels; inside {@code H} nothing changes. {@code catch_all} maps to a
 * {@code catch_all} clause; a {@code try} without handler is a plain block. {@code rethrow}, {@code
 * delegate}, several handlers on one {@code try} and typed multi-value blocks are not used by TeaVM
 * and are refused.
 */
public final class LegacyExceptions {
  private static final int SECTION_TYPE = 1;
  private static final int SECTION_IMPORT = 2;
  private static final int SECTION_CODE = 10;
  private static final int SECTION_TAG = 13;

  private LegacyExceptions() {}

  /** Thrown for a module this translation does not handle. */
  public static final class UnsupportedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedException(String message) {
      super(message);
    }
  }

  /** Whether {@code module} has a tag section, i.e. may use exception handling. */
  public static boolean usesExceptions(byte[] module) {
    Reader r = new Reader(module, 8);
    while (r.pos < module.length) {
      int id = r.u8();
      int size = (int) r.uleb();
      if (id == SECTION_TAG) {
        return true;
      }
      r.pos += size;
    }
    return false;
  }

  /** The module with every legacy {@code try} rewritten; {@code module} itself if it has none. */
  public static byte[] toExnref(byte[] module) {
    if (!usesExceptions(module)) {
      return module;
    }
    List<int[]> typeParams = new ArrayList<>();
    List<Integer> tagTypes = new ArrayList<>();
    List<int[]> sections = new ArrayList<>(); // id, start, size
    Reader r = new Reader(module, 8);
    while (r.pos < module.length) {
      int id = r.u8();
      int size = (int) r.uleb();
      sections.add(new int[] {id, r.pos, size});
      Reader s = new Reader(module, r.pos);
      if (id == SECTION_TYPE) {
        long n = s.uleb();
        for (long i = 0; i < n; i++) {
          s.u8(); // 0x60
          int params = (int) s.uleb();
          int[] p = new int[params];
          for (int k = 0; k < params; k++) {
            p[k] = s.u8();
          }
          s.skip();
          typeParams.add(p);
        }
      } else if (id == SECTION_TAG) {
        long n = s.uleb();
        for (long i = 0; i < n; i++) {
          s.u8(); // attribute: exception
          tagTypes.add((int) s.uleb());
        }
      } else if (id == SECTION_IMPORT) {
        long n = s.uleb();
        for (long i = 0; i < n; i++) {
          s.skip();
          s.skip();
          int kind = s.u8();
          switch (kind) {
            case 0 -> s.uleb();
            case 1 -> {
              s.u8();
              limits(s);
            }
            case 2 -> limits(s);
            case 3 -> s.pos += 2;
            case 4 -> {
              s.u8();
              tagTypes.add((int) s.uleb()); // imported tags come first
            }
            default -> throw new UnsupportedException("import kind " + kind);
          }
        }
      }
      r.pos += size;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(module.length + 1024);
    out.write(module, 0, 8);
    for (int[] section : sections) {
      if (section[0] != SECTION_CODE) {
        out.write(section[0]);
        uleb(out, section[2]);
        out.write(module, section[1], section[2]);
        continue;
      }
      Reader s = new Reader(module, section[1]);
      long n = s.uleb();
      ByteArrayOutputStream code = new ByteArrayOutputStream(section[2] + 1024);
      uleb(code, n);
      for (long f = 0; f < n; f++) {
        int size = (int) s.uleb();
        byte[] body = new BodyRewriter(module, s.pos, s.pos + size, typeParams, tagTypes).run();
        uleb(code, body.length);
        code.writeBytes(body);
        s.pos += size;
      }
      out.write(SECTION_CODE);
      uleb(out, code.size());
      out.writeBytes(code.toByteArray());
    }
    return out.toByteArray();
  }

  private static void limits(Reader s) {
    int flags = s.u8();
    s.uleb();
    if ((flags & 1) != 0) {
      s.uleb();
    }
  }

  private static final class BodyRewriter {
    private static final int OTHER = 0;
    private static final int TRY_BODY = 1;
    private static final int TRY_HANDLER = 2;

    final byte[] b;
    final int end;
    final List<int[]> typeParams;
    final List<Integer> tagTypes;
    final Reader r;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final List<Integer> frames = new ArrayList<>();

    BodyRewriter(byte[] b, int start, int end, List<int[]> typeParams, List<Integer> tagTypes) {
      this.b = b;
      this.end = end;
      this.typeParams = typeParams;
      this.tagTypes = tagTypes;
      this.r = new Reader(b, start);
    }

    byte[] run() {
      int start = r.pos;
      long groups = r.uleb();
      for (long g = 0; g < groups; g++) {
        r.uleb();
        r.u8();
      }
      out.write(b, start, r.pos - start);
      while (r.pos < end) {
        instruction();
      }
      if (r.pos != end || !frames.isEmpty()) {
        throw new UnsupportedException("function body does not end where its size says");
      }
      return out.toByteArray();
    }

    private void instruction() {
      int at = r.pos;
      int op = r.u8();
      switch (op) {
        case 0x02, 0x03, 0x04 -> {
          blockType();
          frames.add(OTHER);
          copy(at);
        }
        case 0x06 -> tryStart(at);
        case 0x07 -> handler(at, r.uleb());
        case 0x19 -> handler(at, -1);
        case 0x0B -> {
          if (!frames.isEmpty()) {
            int frame = frames.remove(frames.size() - 1);
            if (frame == TRY_HANDLER) {
              out.write(0x0B); // the outer block; the handler's block already ended
              return;
            }
          }
          copy(at);
        }
        case 0x0C, 0x0D -> {
          long depth = r.uleb();
          out.write(op);
          uleb(out, newDepth(depth));
        }
        case 0x0E -> {
          long count = r.uleb();
          out.write(op);
          uleb(out, count);
          for (long i = 0; i <= count; i++) {
            uleb(out, newDepth(r.uleb()));
          }
        }
        case 0x09, 0x18 -> throw new UnsupportedException("rethrow/delegate at offset " + at);
        default -> {
          skipImmediates(op, at);
          copy(at);
        }
      }
    }

    private void tryStart(int at) {
      int typeAt = r.pos;
      int type = b[typeAt] & 0xFF;
      if (!(type == 0x40 || type == 0x7F || type == 0x7E || type == 0x7D || type == 0x7C)) {
        throw new UnsupportedException("try with a typed block at offset " + at);
      }
      r.pos++;
      // look ahead for this try's handler: a try without one is a plain block
      int handlerTag = findHandler();
      if (handlerTag == Integer.MIN_VALUE) {
        frames.add(OTHER);
        out.write(0x02);
        out.write(type);
        return;
      }
      frames.add(TRY_BODY);
      out.write(0x02); // the construct's label: where the try's own label pointed
      out.write(type);
      out.write(0x02); // the handler's block, entered with the exception's values
      if (handlerTag < 0) {
        out.write(0x40);
      } else {
        int[] params = typeParams.get(tagTypes.get(handlerTag));
        if (params.length > 1) {
          throw new UnsupportedException("a tag with several values at offset " + at);
        }
        out.write(params.length == 0 ? 0x40 : params[0]);
      }
      out.write(0x1F); // try_table
      out.write(type);
      out.write(0x01); // one catch clause
      if (handlerTag < 0) {
        out.write(0x02); // catch_all
      } else {
        out.write(0x00); // catch tag
        uleb(out, handlerTag);
      }
      out.write(0x00); // to the handler's block
    }

    /** The tag of the try starting at r.pos (-1 for catch_all), MIN_VALUE if it has no handler. */
    private int findHandler() {
      int saved = r.pos;
      int depth = 0;
      try {
        while (r.pos < end) {
          int at = r.pos;
          int op = r.u8();
          switch (op) {
            case 0x02, 0x03, 0x04 -> {
              blockType();
              depth++;
            }
            case 0x06 -> {
              r.pos++;
              depth++;
            }
            case 0x0B -> {
              if (depth == 0) {
                return Integer.MIN_VALUE;
              }
              depth--;
            }
            case 0x07 -> {
              long tag = r.uleb();
              if (depth == 0) {
                return (int) tag;
              }
            }
            case 0x19 -> {
              if (depth == 0) {
                return -1;
              }
            }
            case 0x0C, 0x0D -> r.uleb();
            case 0x0E -> {
              long count = r.uleb();
              for (long i = 0; i <= count; i++) {
                r.uleb();
              }
            }
            case 0x09, 0x18 -> throw new UnsupportedException("rethrow/delegate at offset " + at);
            default -> skipImmediates(op, at);
          }
        }
        throw new UnsupportedException("unterminated try");
      } finally {
        r.pos = saved;
      }
    }

    private void handler(int at, long tag) {
      if (frames.isEmpty() || frames.get(frames.size() - 1) != TRY_BODY) {
        throw new UnsupportedException("a second handler or a stray catch at offset " + at);
      }
      frames.set(frames.size() - 1, TRY_HANDLER);
      out.write(0x0B); // end try_table
      out.write(0x0C); // normal completion skips the handler
      out.write(0x01);
      out.write(0x0B); // end of the handler's block: the exception's values are on the stack
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

    private void blockType() {
      int t = b[r.pos] & 0xFF;
      if (t == 0x40 || (t >= 0x7B && t <= 0x7F) || t == 0x70 || t == 0x6F) {
        r.pos++;
      } else {
        r.sleb();
      }
    }

    private void copy(int from) {
      out.write(b, from, r.pos - from);
    }

    private void skipImmediates(int op, int at) {
      switch (op) {
        case 0x00, 0x01, 0x05, 0x0F, 0x1A, 0x1B, 0xD1 -> {}
        case 0x08, 0x10, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0xD2 -> r.uleb();
        case 0x11 -> {
          r.uleb();
          r.uleb();
        }
        case 0x1C -> r.skip();
        case 0x3F, 0x40, 0xD0 -> r.pos++;
        case 0x41, 0x42 -> r.sleb();
        case 0x43 -> r.pos += 4;
        case 0x44 -> r.pos += 8;
        case 0xFC -> {
          long sub = r.uleb();
          if (sub == 8) {
            r.uleb();
            r.pos++;
          } else if (sub == 9 || sub == 13 || (sub >= 15 && sub <= 17)) {
            r.uleb();
          } else if (sub == 10) {
            r.pos += 2;
          } else if (sub == 11) {
            r.pos++;
          } else if (sub == 12 || sub == 14) {
            r.uleb();
            r.uleb();
          } else if (sub > 7) {
            throw new UnsupportedException("instruction 0xFC " + sub + " at offset " + at);
          }
        }
        default -> {
          if (op >= 0x28 && op <= 0x3E) {
            r.uleb();
            r.uleb();
          } else if (op < 0x45 || op > 0xC4) {
            throw new UnsupportedException(
                "instruction 0x" + Integer.toHexString(op) + " at offset " + at);
          }
        }
      }
    }
  }

  private static final class Reader {
    final byte[] b;
    int pos;

    Reader(byte[] b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    int u8() {
      return b[pos++] & 0xFF;
    }

    long uleb() {
      long v = 0;
      int shift = 0;
      int x;
      do {
        x = u8();
        v |= (long) (x & 0x7F) << shift;
        shift += 7;
      } while ((x & 0x80) != 0);
      return v;
    }

    /** Skips a length-prefixed run of bytes. */
    void skip() {
      int length = (int) uleb();
      pos += length;
    }

    void sleb() {
      while ((u8() & 0x80) != 0) {}
    }
  }

  private static void uleb(ByteArrayOutputStream out, long v) {
    do {
      int x = (int) (v & 0x7F);
      v >>>= 7;
      out.write(v != 0 ? x | 0x80 : x);
    } while (v != 0);
  }
}

package io.rustless.wasm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * A WebAssembly module as a list of sections, with just enough decoding to inspect imports, exports
 * and memories, and to rewrite the few things the build must patch. Sections it does not touch are
 * kept byte for byte.
 */
public final class WasmModuleBinary {
  public static final int SECTION_TYPE = 1;
  public static final int SECTION_IMPORT = 2;
  public static final int SECTION_FUNCTION = 3;
  public static final int SECTION_MEMORY = 5;
  public static final int SECTION_EXPORT = 7;
  public static final int SECTION_START = 8;
  public static final int SECTION_ELEMENT = 9;
  public static final int SECTION_CODE = 10;
  public static final int SECTION_TAG = 13;
  public static final int SECTION_DATA = 11;
  public static final int SECTION_DATA_COUNT = 12;
  private static final byte[] HEADER = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

  private final List<Section> sections;

  private WasmModuleBinary(List<Section> sections) {
    this.sections = sections;
  }

  /** A raw section: its id and payload. */
  public record Section(int id, byte[] payload) {}

  /** A function signature, e.g. {@code (i32,i64)->i32}. */
  public record FuncType(List<String> params, List<String> results) {
    @Override
    public String toString() {
      return "(" + String.join(",", params) + ")->" + String.join(",", results);
    }
  }

  /**
   * An import; {@code type} is set for functions and exception tags, {@code null} for other kinds.
   */
  public record Import(String module, String name, int kind, FuncType type) {
    public static final int FUNCTION = 0;
    public static final int TAG = 4;

    @Override
    public String toString() {
      return module + "." + name;
    }
  }

  /** An export: name, kind (0 function, 1 table, 2 memory, 3 global) and index. */
  public record Export(String name, int kind, long index) {}

  /** Memory limits; {@code max < 0} means no maximum. */
  public record MemoryLimits(long min, long max) {}

  /** Parses {@code bytes}. */
  public static WasmModuleBinary parse(byte[] bytes) {
    if (bytes.length < 8 || !Arrays.equals(Arrays.copyOf(bytes, 8), HEADER)) {
      throw new WasmFormatException("not a WebAssembly 1.0 module (bad magic or version)");
    }
    ByteReader r = new ByteReader(bytes, 8, bytes.length);
    List<Section> sections = new ArrayList<>();
    while (r.hasMore()) {
      int id = r.u8();
      int size = r.u32AsInt();
      int start = r.position();
      r.skip(size);
      sections.add(new Section(id, Arrays.copyOfRange(bytes, start, start + size)));
    }
    return new WasmModuleBinary(sections);
  }

  /** The encoded module. */
  public byte[] toBytes() {
    ByteWriter w = new ByteWriter().bytes(HEADER);
    for (Section s : sections) {
      w.section(s.id(), s.payload());
    }
    return w.toByteArray();
  }

  /** The sections, in order (read-only). */
  public List<Section> sections() {
    return Collections.unmodifiableList(sections);
  }

  /** The function types of the type section. */
  public List<FuncType> types() {
    List<FuncType> out = new ArrayList<>();
    Section s = find(SECTION_TYPE);
    if (s == null) {
      return out;
    }
    ByteReader r = reader(s);
    long n = r.u32();
    for (long i = 0; i < n; i++) {
      int form = r.u8();
      if (form != 0x60) {
        throw new WasmFormatException("unsupported type form 0x" + Integer.toHexString(form));
      }
      out.add(new FuncType(valueTypes(r), valueTypes(r)));
    }
    return out;
  }

  /** Every import, functions with their signatures. */
  public List<Import> imports() {
    List<Import> out = new ArrayList<>();
    Section s = find(SECTION_IMPORT);
    if (s == null) {
      return out;
    }
    List<FuncType> types = types();
    ByteReader r = reader(s);
    long n = r.u32();
    for (long i = 0; i < n; i++) {
      String module = r.name();
      String name = r.name();
      int kind = r.u8();
      FuncType type = null;
      switch (kind) {
        case 0:
          type = type(types, r.u32AsInt(), module, name);
          break;
        case 1:
          r.u8();
          limits(r);
          break;
        case 2:
          limits(r);
          break;
        case 3:
          r.u8();
          r.u8();
          break;
        case 4:
          r.u8(); // attribute: exception
          type = type(types, r.u32AsInt(), module, name);
          break;
        default:
          throw new WasmFormatException("unknown import kind " + kind);
      }
      out.add(new Import(module, name, kind, type));
    }
    return out;
  }

  private static FuncType type(List<FuncType> types, int index, String module, String name) {
    if (index >= types.size()) {
      throw new WasmFormatException("import " + module + "." + name + " has bad type");
    }
    return types.get(index);
  }

  /** The type of each exception tag, by tag index: imported tags first, then the tag section. */
  public List<FuncType> tagTypes() {
    List<FuncType> out = new ArrayList<>();
    for (Import i : imports()) {
      if (i.kind() == Import.TAG) {
        out.add(i.type());
      }
    }
    Section s = find(SECTION_TAG);
    if (s != null) {
      List<FuncType> types = types();
      ByteReader r = reader(s);
      long n = r.u32();
      for (long i = 0; i < n; i++) {
        r.u8(); // attribute: exception
        int index = r.u32AsInt();
        if (index >= types.size()) {
          throw new WasmFormatException("tag " + i + " has bad type " + index);
        }
        out.add(types.get(index));
      }
    }
    return out;
  }

  /** Every export. */
  public List<Export> exports() {
    List<Export> out = new ArrayList<>();
    Section s = find(SECTION_EXPORT);
    if (s == null) {
      return out;
    }
    ByteReader r = reader(s);
    long n = r.u32();
    for (long i = 0; i < n; i++) {
      out.add(new Export(r.name(), r.u8(), r.u32()));
    }
    return out;
  }

  /** The limits of each memory the module defines. */
  public List<MemoryLimits> memories() {
    List<MemoryLimits> out = new ArrayList<>();
    Section s = find(SECTION_MEMORY);
    if (s == null) {
      return out;
    }
    ByteReader r = reader(s);
    long n = r.u32();
    for (long i = 0; i < n; i++) {
      out.add(limits(r));
    }
    return out;
  }

  /** Drops the maximum of every memory, so the module can grow memory past its initial heap. */
  public WasmModuleBinary withoutMemoryMaximum() {
    Section s = find(SECTION_MEMORY);
    if (s == null) {
      return this;
    }
    List<MemoryLimits> memories = memories();
    ByteWriter w = new ByteWriter().u32(memories.size());
    for (MemoryLimits m : memories) {
      w.u8(0x00).u32(m.min());
    }
    return replace(s, new Section(SECTION_MEMORY, w.toByteArray()));
  }

  /**
   * Splits active data segments around runs of at least {@code minZeroRun} zero bytes, which need
   * no initialisation because a module's own memory starts zeroed. TeaVM writes one segment with
   * its zero-filled static areas included; for a small plugin most of it is zeros.
   */
  public WasmModuleBinary withPackedDataSegments(int minZeroRun) {
    List<DataSegment> segments = activeDataSegments();
    if (segments == null || segments.isEmpty() || importsMemory()) {
      return this; // unusual segments are kept; an imported memory may hold anything
    }
    List<DataSegment> packed = new ArrayList<>();
    for (DataSegment segment : segments) {
      byte[] payload = segment.bytes();
      int len = payload.length;
      int k = 0;
      while (k < len) {
        while (k < len && payload[k] == 0) {
          k++;
        }
        if (k == len) {
          break;
        }
        int runStart = k;
        int zeros = 0;
        int end = k;
        while (k < len) {
          if (payload[k] == 0) {
            zeros++;
            if (zeros >= minZeroRun) {
              break;
            }
          } else {
            zeros = 0;
            end = k + 1;
          }
          k++;
        }
        packed.add(
            new DataSegment(
                segment.address() + runStart, Arrays.copyOfRange(payload, runStart, end)));
        k = Math.max(k, end);
      }
    }
    return withDataSegments(packed);
  }

  /** An active data segment of memory 0: where its bytes go. */
  public record DataSegment(int address, byte[] bytes) {}

  /**
   * The data segments, in module order: an empty list without a data section, {@code null} if any
   * segment is passive, targets another memory or has a non-constant offset.
   */
  public List<DataSegment> activeDataSegments() {
    Section data = find(SECTION_DATA);
    if (data == null) {
      return List.of();
    }
    ByteReader r = reader(data);
    long n = r.u32();
    List<DataSegment> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      if (r.u8() != 0 || r.u8() != 0x41) {
        return null;
      }
      long offset = r.s64();
      if (r.u8() != 0x0B || offset < 0) {
        return null;
      }
      int len = r.u32AsInt();
      int start = r.position();
      r.skip(len);
      out.add(
          new DataSegment((int) offset, Arrays.copyOfRange(data.payload(), start, start + len)));
    }
    return out;
  }

  /** Replaces the data section (and the data count, if present) by {@code segments}. */
  public WasmModuleBinary withDataSegments(List<DataSegment> segments) {
    ByteWriter out = new ByteWriter().u32(segments.size());
    for (DataSegment segment : segments) {
      out.u8(0)
          .u8(0x41)
          .s32(segment.address())
          .u8(0x0B)
          .u32(segment.bytes().length)
          .bytes(segment.bytes());
    }
    WasmModuleBinary result = withSection(new Section(SECTION_DATA, out.toByteArray()));
    if (find(SECTION_DATA_COUNT) != null) {
      result =
          result.withSection(
              new Section(SECTION_DATA_COUNT, new ByteWriter().u32(segments.size()).toByteArray()));
    }
    return result;
  }

  /** True if the module imports its memory. */
  public boolean importsMemory() {
    return imports().stream().anyMatch(i -> i.kind() == 2);
  }

  /**
   * {@code section} in place of the section with its id, or inserted where the binary format orders
   * that id.
   */
  public WasmModuleBinary withSection(Section section) {
    Section old = find(section.id());
    if (old != null) {
      return replace(old, section);
    }
    List<Section> copy = new ArrayList<>(sections);
    int at = copy.size();
    for (int k = 0; k < copy.size(); k++) {
      int id = copy.get(k).id();
      if (id != 0 && order(id) > order(section.id())) {
        at = k;
        break;
      }
    }
    copy.add(at, section);
    return new WasmModuleBinary(copy);
  }

  /**
   * A known section's place in the binary format (the data count sits between elements and code).
   */
  private static int order(int id) {
    if (id == SECTION_TAG) {
      return 2 * SECTION_MEMORY + 1; // exception tags sit between memories and globals
    }
    return id == SECTION_DATA_COUNT ? 2 * SECTION_ELEMENT + 1 : 2 * id;
  }

  /** Appends one encoded element to section {@code id}, a vector (count, then elements). */
  public WasmModuleBinary withAppended(int id, byte[] element) {
    Section s = find(id);
    if (s == null) {
      throw new WasmFormatException("module has no section " + id);
    }
    ByteReader r = reader(s);
    long n = r.u32();
    byte[] rest = Arrays.copyOfRange(s.payload(), r.position(), s.payload().length);
    return replace(
        s, new Section(id, new ByteWriter().u32(n + 1).bytes(rest).bytes(element).toByteArray()));
  }

  /** The number of elements of section {@code id}, a vector; 0 if it is absent. */
  public int vectorLength(int id) {
    Section s = find(id);
    return s == null ? 0 : reader(s).u32AsInt();
  }

  /** The index the next function appended to the function and code sections will have. */
  public int nextFunctionIndex() {
    int imported = 0;
    for (Import i : imports()) {
      if (i.kind() == Import.FUNCTION) {
        imported++;
      }
    }
    return imported + vectorLength(SECTION_FUNCTION);
  }

  /** The type of the function at {@code index} (imports first); null if there is none. */
  public FuncType functionType(long index) {
    long local = index;
    for (Import i : imports()) {
      if (i.kind() == Import.FUNCTION && local-- == 0) {
        return i.type();
      }
    }
    Section functions = find(SECTION_FUNCTION);
    if (functions == null) {
      return null;
    }
    ByteReader r = reader(functions);
    if (local >= r.u32()) {
      return null;
    }
    long typeIndex = 0;
    for (long i = 0; i <= local; i++) {
      typeIndex = r.u32();
    }
    List<FuncType> types = types();
    return typeIndex < types.size() ? types.get((int) typeIndex) : null;
  }

  /** The start function's index, or -1 without a start section. */
  public int startFunction() {
    Section s = find(SECTION_START);
    return s == null ? -1 : reader(s).u32AsInt();
  }

  /** Renames export {@code from} to {@code to}; fails if {@code from} is missing. */
  public WasmModuleBinary withExportRenamed(String from, String to) {
    boolean[] found = {false};
    WasmModuleBinary out =
        rewriteExports(
            e -> {
              if (e.name().equals(from)) {
                found[0] = true;
                return new Export(to, e.kind(), e.index());
              }
              return e;
            });
    if (!found[0]) {
      throw new WasmFormatException("no export named " + from);
    }
    return out;
  }

  /** Removes every export whose name {@code remove} accepts. */
  public WasmModuleBinary withoutExports(Predicate<String> remove) {
    return rewriteExports(e -> remove.test(e.name()) ? null : e);
  }

  private WasmModuleBinary rewriteExports(java.util.function.Function<Export, Export> f) {
    Section s = find(SECTION_EXPORT);
    if (s == null) {
      return this;
    }
    List<Export> kept = new ArrayList<>();
    for (Export e : exports()) {
      Export n = f.apply(e);
      if (n != null) {
        kept.add(n);
      }
    }
    ByteWriter w = new ByteWriter().u32(kept.size());
    for (Export e : kept) {
      w.name(e.name()).u8(e.kind()).u32(e.index());
    }
    return replace(s, new Section(SECTION_EXPORT, w.toByteArray()));
  }

  private WasmModuleBinary replace(Section old, Section replacement) {
    List<Section> copy = new ArrayList<>(sections);
    copy.set(copy.indexOf(old), replacement);
    return new WasmModuleBinary(copy);
  }

  /** The first section with {@code id}, or null. */
  public Section find(int id) {
    for (Section s : sections) {
      if (s.id() == id) {
        return s;
      }
    }
    return null;
  }

  private static ByteReader reader(Section s) {
    return new ByteReader(s.payload(), 0, s.payload().length);
  }

  private static MemoryLimits limits(ByteReader r) {
    int flags = r.u8();
    if (flags != 0x00 && flags != 0x01) {
      throw new WasmFormatException(
          "unsupported limits flags 0x" + Integer.toHexString(flags) + " (shared or 64-bit)");
    }
    long min = r.u32();
    long max = (flags & 0x01) != 0 ? r.u32() : -1;
    return new MemoryLimits(min, max);
  }

  private static List<String> valueTypes(ByteReader r) {
    long n = r.u32();
    List<String> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      out.add(valueType(r.u8()));
    }
    return out;
  }

  /** The binary code of value type {@code name} ({@code "i32"} is 0x7F). */
  public static int valueTypeCode(String name) {
    for (int code = 0x6F; code <= 0x7F; code++) {
      if (isValueType(code) && valueType(code).equals(name)) {
        return code;
      }
    }
    throw new IllegalArgumentException("unknown value type " + name);
  }

  private static boolean isValueType(int code) {
    return code == 0x6F || code == 0x70 || (code >= 0x7B && code <= 0x7F);
  }

  private static String valueType(int code) {
    switch (code) {
      case 0x7F:
        return "i32";
      case 0x7E:
        return "i64";
      case 0x7D:
        return "f32";
      case 0x7C:
        return "f64";
      case 0x7B:
        return "v128";
      case 0x70:
        return "funcref";
      case 0x6F:
        return "externref";
      default:
        throw new WasmFormatException("unknown value type 0x" + Integer.toHexString(code));
    }
  }
}

package io.rustless.v8;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance of a {@link V8Module}. Calls into it and its memory are only valid until {@link
 * #close()}; a closed instance's memory is left to V8's garbage collector.
 */
public final class V8Instance implements AutoCloseable {
  private final V8Engine engine;
  private final V8Module module;
  private final Map<String, Export> exports = new HashMap<>();
  private int id = -1;
  private List<Integer> keys = List.of();
  private ByteBuffer memory;
  private long memoryBytes;
  private boolean closed;

  V8Instance(V8Engine engine, V8Module module) {
    this.engine = engine;
    this.module = module;
  }

  void id(int id) {
    this.id = id;
  }

  int id() {
    return id;
  }

  void keys(List<Integer> keys) {
    this.keys = keys;
  }

  List<Integer> keys() {
    return keys;
  }

  public V8Module module() {
    return module;
  }

  /** An exported function, looked up once; empty if the module exports no function so named. */
  public java.util.Optional<Export> export(String name, FunctionType type) {
    Export known = exports.get(name);
    if (known != null) {
      if (!known.type.equals(type)) {
        throw new IllegalArgumentException(
            name + " was looked up as " + known.type + ", now as " + type);
      }
      return java.util.Optional.of(known);
    }
    checkOpen();
    int index = engine.exportIndex(id, name, type);
    if (index < 0) {
      return java.util.Optional.empty();
    }
    Export e = new Export(name, index, type);
    exports.put(name, e);
    return java.util.Optional.of(e);
  }

  /** Calls {@code name}; see {@link Export#call(long...)}. */
  public long call(String name, FunctionType type, long... args) {
    return export(name, type)
        .orElseThrow(() -> new IllegalArgumentException("the module exports no function " + name))
        .call(args);
  }

  /**
   * The module's memory: a little-endian direct buffer over V8's own bytes, so reads and writes
   * need no copy. Ask again after a call into the module: memory may have grown (the buffer is then
   * replaced). Null if the module exports no memory.
   */
  public ByteBuffer memory() {
    checkOpen();
    if (memory == null || memory.capacity() != memoryBytes) {
      memory = engine.memory(id);
      memoryBytes = memory == null ? 0 : memory.capacity();
    }
    return memory;
  }

  /** The memory size V8 reported on the last crossing. */
  void noteMemoryBytes(long bytes) {
    memoryBytes = bytes;
  }

  /** Memory size in bytes. */
  public long memoryBytes() {
    ByteBuffer m = memory();
    return m == null ? 0 : m.capacity();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the instance is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    engine.drop(this, memoryBytes);
    memory = null;
  }

  /** An exported function of this instance. */
  public final class Export {
    private final String name;
    private final int index;
    private final FunctionType type;
    private final boolean allI32;

    private Export(String name, int index, FunctionType type) {
      this.name = name;
      this.index = index;
      this.type = type;
      this.allI32 = type.params().stream().allMatch(t -> t == ValType.I32);
    }

    public String name() {
      return name;
    }

    /**
     * Calls the function. A trap comes out as a {@link WasmException} of kind {@code TRAP}; an
     * exception a host function threw comes out unchanged.
     */
    public long call(long... args) {
      checkOpen();
      engine.enter();
      try {
        return engine.call(V8Instance.this, index, type, args);
      } finally {
        engine.exit();
      }
    }

    /**
     * {@link #call(long...)} for a function whose parameters are all i32: what proxy-wasm callbacks
     * are, called without widening the arguments.
     *
     * @throws IllegalArgumentException if a parameter is not an i32
     */
    public long callI32(int... args) {
      if (!allI32) {
        throw new IllegalArgumentException(name + " " + type + " takes more than i32s");
      }
      checkOpen();
      engine.enter();
      try {
        return engine.callI32(V8Instance.this, index, type, args);
      } finally {
        engine.exit();
      }
    }

    /** The function's type. */
    public FunctionType type() {
      return type;
    }
  }
}

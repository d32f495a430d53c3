package io.rustless.v8;

import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.V8Host;
import com.caoccao.javet.interop.V8Locker;
import com.caoccao.javet.interop.V8Runtime;
import com.caoccao.javet.interop.callback.IJavetDirectCallable;
import com.caoccao.javet.interop.callback.JavetCallbackContext;
import com.caoccao.javet.interop.callback.JavetCallbackType;
import com.caoccao.javet.values.reference.V8ValueArrayBuffer;
import com.caoccao.javet.values.reference.V8ValueFunction;
import com.caoccao.javet.values.reference.V8ValueObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One V8 isolate (through Javet) in which modules are compiled once and instantiated many times. An
 * isolate runs one thread at a time: every entry takes the engine's lock (and V8's), so instances
 * may be used from any thread, one call at a time per engine. {@link #shared()} is the engine a
 * JVM's tests share: creating an isolate costs tens of milliseconds, loading V8 the first time
 * about half a second.
 *
 * <p>Calls cross through a shared register buffer (see {@code engine.js}): Java → Wasm and Wasm →
 * Java are each one argument-less JNI call, and guest memory is a direct {@link ByteBuffer} over
 * V8's own backing store (no copies).
 */
public final class V8Engine implements AutoCloseable {
  static final int MEMORY = 56 * 8;
  static final int STATUS = 57 * 8;
  static final int INSTANCE = 58 * 8;
  static final int KEY = 59 * 8;

  /** Argument slots per call: more than any proxy-wasm function takes. */
  static final int MAX_ARGS = 48;

  /** Once this much instance memory has been dropped, V8 is asked to collect it. */
  private static final long COLLECT_AFTER_BYTES = 512L << 20;

  private static V8Engine shared;

  private final V8Runtime runtime;
  private final ReentrantLock lock = new ReentrantLock();
  private V8Locker locker;
  private final ByteBuffer regs;
  private final V8ValueArrayBuffer regsHandle;
  private final V8ValueObject api;
  private final V8ValueFunction callFunction;
  private final JavetCallbackContext hostContext;
  private final Map<String, V8Module> modules = new HashMap<>();
  private final List<Binding> bindings = new ArrayList<>();
  private final List<Integer> freeBindings = new ArrayList<>();
  private Throwable pending;
  private long droppedBytes;
  private boolean closed;

  private record Binding(V8Instance instance, HostImport host) {}

  /**
   * A new isolate. Close it when done (the shared one closes when the JVM exits).
   *
   * @throws V8UnavailableException if V8 cannot run here (the message says why)
   */
  public V8Engine() {
    runtime = startRuntime();
    IJavetDirectCallable.NoThisAndNoResult<Exception> host = args -> onHostCall();
    hostContext =
        new JavetCallbackContext(
            "rustlessHost", JavetCallbackType.DirectCallNoThisAndNoResult, host);
    try {
      V8Locker setup = runtime.getV8Locker();
      try {
        regsHandle = runtime.createV8ValueArrayBuffer(MAX_ARGS * 8 + 128);
        regs = regsHandle.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        try (V8ValueFunction hostFunction = runtime.createV8ValueFunction(hostContext);
            V8ValueFunction factory = runtime.getExecutor(script()).execute()) {
          api = factory.call(null, hostFunction, regsHandle);
        }
        callFunction = api.get("call");
      } finally {
        setup.close();
      }
    } catch (JavetException e) {
      try {
        runtime.close();
      } catch (JavetException ignored) {
        // reporting the first failure
      }
      throw new IllegalStateException("cannot set up the V8 engine: " + e.getMessage(), e);
    }
  }

  private static V8Runtime startRuntime() {
    V8Host host;
    try {
      host = V8Host.getV8Instance();
    } catch (LinkageError | RuntimeException e) { // a native library that cannot even link
      throw V8UnavailableException.of("its native library did not load", e);
    }
    if (!host.isLibraryLoaded()) {
      throw V8UnavailableException.of("its native library did not load", host.getLastException());
    }
    try {
      return host.createV8Runtime();
    } catch (JavetException | LinkageError e) {
      throw V8UnavailableException.of("no isolate could be created", e);
    }
  }

  /** The engine this JVM shares (created on first use, closed at exit). */
  public static synchronized V8Engine shared() {
    if (shared == null || shared.closed) {
      V8Engine engine = new V8Engine();
      Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "rustless-v8-close"));
      shared = engine;
    }
    return shared;
  }

  /**
   * What the isolate holds now, in bytes: V8's used heap (instances, compiled code's objects) plus
   * memory V8 accounts outside it (external, such as array buffers, and malloc'ed). For benchmarks.
   */
  public long heapBytes() {
    return locked(
        () -> {
          try {
            com.caoccao.javet.interop.monitoring.V8HeapStatistics s =
                runtime.getV8HeapStatistics().get(10, java.util.concurrent.TimeUnit.SECONDS);
            return s.getUsedHeapSize() + s.getExternalMemory() + s.getMallocedMemory();
          } catch (java.util.concurrent.ExecutionException
              | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no heap statistics from V8: " + e, e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        });
  }

  /** Asks V8 to collect garbage now (benchmarks measuring what stays). */
  public void collectGarbage() {
    locked(
        () -> {
          runtime.lowMemoryNotification();
          return null;
        });
  }

  /** V8's version, e.g. {@code 14.7.173.18}. */
  public String v8Version() {
    return locked(runtime::getVersion);
  }

  private static String script() {
    try (InputStream in = V8Engine.class.getResourceAsStream("engine.js")) {
      if (in == null) {
        throw new IllegalStateException("engine.js missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compiles {@code wasm}, or returns the module already compiled from the same bytes. */
  public V8Module compile(byte[] wasm) {
    String digest = sha256(wasm);
    return locked(
        () -> {
          V8Module known = modules.get(digest);
          if (known != null) {
            return known;
          }
          int id;
          String description;
          try (V8ValueArrayBuffer bytes = runtime.createV8ValueArrayBuffer(wasm.length)) {
            bytes.fromBytes(wasm);
            id = api.invokeInteger("compile", bytes);
            description = api.invokeString("describe", id);
          } catch (JavetException e) {
            throw new WasmException(WasmException.Kind.COMPILE, jsMessage(e));
          }
          V8Module module = new V8Module(this, id, digest, wasm.length, description);
          modules.put(digest, module);
          return module;
        });
  }

  V8Instance instantiate(V8Module module, List<HostImport> imports) {
    return locked(
        () -> {
          V8Instance instance = new V8Instance(this, module);
          List<Integer> keys = new ArrayList<>();
          StringBuilder spec = new StringBuilder();
          for (HostImport h : imports) {
            int key = bind(new Binding(instance, h));
            keys.add(key);
            if (spec.length() > 0) {
              spec.append('\n');
            }
            spec.append(h.module())
                .append('\n')
                .append(h.name())
                .append('\n')
                .append(h.type().paramCodes())
                .append('\n')
                .append(h.type().resultCode())
                .append('\n')
                .append(key);
          }
          instance.keys(keys);
          try {
            instance.id(api.invokeInteger("instantiate", module.id(), spec.toString()));
          } catch (JavetException e) {
            unbind(keys);
            Throwable host = takePending();
            if (host != null) {
              throw rethrow(host);
            }
            String message = jsMessage(e);
            throw new WasmException(
                message.startsWith("LinkError") || message.contains("LinkError")
                    ? WasmException.Kind.LINK
                    : WasmException.Kind.TRAP,
                message);
          }
          return instance;
        });
  }

  private int bind(Binding b) {
    if (!freeBindings.isEmpty()) {
      int key = freeBindings.remove(freeBindings.size() - 1);
      bindings.set(key, b);
      return key;
    }
    bindings.add(b);
    return bindings.size() - 1;
  }

  private void unbind(List<Integer> keys) {
    for (int key : keys) {
      bindings.set(key, null);
      freeBindings.add(key);
    }
  }

  int exportIndex(int instanceId, String name, FunctionType type) {
    return locked(
        () -> {
          try {
            return api.invokeInteger(
                "exportIndex", instanceId, name, type.paramCodes(), type.resultCode());
          } catch (JavetException e) {
            throw new IllegalStateException(jsMessage(e), e);
          }
        });
  }

  /** Calls export {@code index} of instance {@code id}; the caller holds the lock. */
  long call(V8Instance instance, int index, FunctionType type, long[] args) {
    List<ValType> params = type.params();
    if (args.length != params.size()) {
      throw arity(type, args.length);
    }
    for (int k = 0; k < args.length; k++) {
      put(k, params.get(k), args[k]);
    }
    return invoke(instance, index, type);
  }

  /** The same for a function whose parameters are all i32 (no boxing, no widening copy). */
  long callI32(V8Instance instance, int index, FunctionType type, int[] args) {
    if (args.length != type.params().size()) {
      throw arity(type, args.length);
    }
    for (int k = 0; k < args.length; k++) {
      regs.putInt(k * 8, args[k]);
    }
    return invoke(instance, index, type);
  }

  private static IllegalArgumentException arity(FunctionType type, int given) {
    return new IllegalArgumentException(
        "expected " + type.params().size() + " arguments " + type + " but got " + given);
  }

  private long invoke(V8Instance instance, int index, FunctionType type) {
    regs.putInt(INSTANCE, instance.id());
    regs.putInt(KEY, index);
    try {
      callFunction.callVoid(null);
    } catch (JavetException e) {
      throw new IllegalStateException("V8 call failed: " + jsMessage(e), e);
    }
    instance.noteMemoryBytes((long) regs.getDouble(MEMORY));
    int status = regs.getInt(STATUS);
    if (status == 2) {
      Throwable host = takePending();
      if (host != null) {
        throw rethrow(host);
      }
    }
    if (status != 0) {
      throw new WasmException(WasmException.Kind.TRAP, lastError());
    }
    return type.results().isEmpty() ? 0 : get(0, type.results().get(0));
  }

  private String lastError() {
    try {
      return api.invokeString("lastError");
    } catch (JavetException e) {
      return "unknown error (" + e.getMessage() + ")";
    }
  }

  /** Javet's callback for every host import: registers in, registers out. */
  private void onHostCall() {
    Binding b = bindings.get(regs.getInt(KEY));
    FunctionType type = b.host().type();
    List<ValType> params = type.params();
    long[] args = new long[params.size()];
    for (int k = 0; k < args.length; k++) {
      args[k] = get(k, params.get(k));
    }
    b.instance().noteMemoryBytes((long) regs.getDouble(MEMORY));
    try {
      long result = b.host().function().apply(b.instance(), args);
      if (!type.results().isEmpty()) {
        put(0, type.results().get(0), result);
      }
      regs.putInt(STATUS, 0);
    } catch (Throwable t) { // unwinds the module; rethrown where Java called it
      if (pending == null) {
        pending = t;
      }
      regs.putInt(STATUS, 1);
    }
  }

  private Throwable takePending() {
    Throwable t = pending;
    pending = null;
    return t;
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException("a host function failed: " + t, t);
  }

  private void put(int slot, ValType type, long value) {
    switch (type) {
      case I32, F32 -> regs.putInt(slot * 8, (int) value);
      case I64, F64 -> regs.putLong(slot * 8, value);
      default -> throw new IllegalArgumentException(type.toString());
    }
  }

  private long get(int slot, ValType type) {
    return switch (type) {
      case I32 -> regs.getInt(slot * 8);
      case F32 -> regs.getInt(slot * 8) & 0xFFFFFFFFL;
      case I64, F64 -> regs.getLong(slot * 8);
    };
  }

  /** The instance's memory as V8 holds it now, or null if it exports none. */
  ByteBuffer memory(int instanceId) {
    return locked(
        () -> {
          try (V8ValueArrayBuffer buffer = api.invoke("memory", instanceId)) {
            if (buffer == null) {
              return null;
            }
            // the ByteBuffer points into V8's backing store, which lives as long as the memory
            return buffer.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
          } catch (JavetException e) {
            throw new IllegalStateException(jsMessage(e), e);
          } catch (ClassCastException e) {
            return null;
          }
        });
  }

  void drop(V8Instance instance, long memoryBytes) {
    locked(
        () -> {
          try {
            api.invokeVoid("drop", instance.id());
          } catch (JavetException e) {
            throw new IllegalStateException(jsMessage(e), e);
          }
          unbind(instance.keys());
          droppedBytes += memoryBytes;
          if (droppedBytes > COLLECT_AFTER_BYTES) {
            droppedBytes = 0;
            runtime.lowMemoryNotification();
          }
          return null;
        });
  }

  /** Runs {@code body} holding the engine (re-entrant: host functions call back in). */
  <T> T locked(Supplier<T> body) {
    enter();
    try {
      return body.get();
    } finally {
      exit();
    }
  }

  void enter() {
    lock.lock();
    if (closed) {
      lock.unlock();
      throw new IllegalStateException("the V8 engine is closed");
    }
    if (lock.getHoldCount() == 1) {
      try {
        locker = runtime.getV8Locker();
      } catch (JavetException e) {
        lock.unlock();
        throw new IllegalStateException("cannot lock V8: " + e.getMessage(), e);
      }
    }
  }

  void exit() {
    if (lock.getHoldCount() == 1 && locker != null) {
      try {
        locker.close();
      } catch (JavetException e) {
        throw new IllegalStateException("cannot unlock V8: " + e.getMessage(), e);
      } finally {
        locker = null;
        lock.unlock();
      }
    } else {
      lock.unlock();
    }
  }

  private static String jsMessage(JavetException e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        V8Locker last = runtime.getV8Locker();
        try {
          callFunction.close();
          api.close();
          regsHandle.close();
          runtime.removeCallbackContext(hostContext.getHandle());
        } finally {
          last.close();
        }
      } catch (JavetException e) {
        // closing anyway
      }
      runtime.close();
    } catch (JavetException e) {
      // the isolate is gone either way
    } finally {
      lock.unlock();
    }
  }
}

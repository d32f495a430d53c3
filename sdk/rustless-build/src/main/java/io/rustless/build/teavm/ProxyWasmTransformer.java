package io.rustless.build.teavm;

import org.teavm.model.AnnotationHolder;
import org.teavm.model.AnnotationValue;
import org.teavm.model.ClassHolder;
import org.teavm.model.ClassHolderTransformer;
import org.teavm.model.ClassHolderTransformerContext;
import org.teavm.model.MethodHolder;
import org.teavm.model.MethodReference;
import org.teavm.model.ValueType;
import org.teavm.model.emit.ProgramEmitter;
import org.teavm.model.emit.ValueEmitter;

/**
 * Adapts TeaVM's WASI runtime to proxy-wasm hosts, which run a plugin without command-line
 * arguments.
 *
 * <p>TeaVM 0.13.1's {@code WasiSupport.getArgs()} allocates {@code new String[argc - 1]}; proxy
 * hosts report {@code argc = 0}, so {@code _start} silently corrupts the heap and the first GC
 * traps or loops. Replacing the method by {@code return new String[0]} makes {@code _start} safe
 * and drops the UTF-8 {@code Charset} machinery (~17 KB) and the {@code args_*} imports that only
 * it needed.
 *
 * <p>{@code WasmSupport.runWithArgs}/{@code runWithoutArgs} run {@code main} inside a green-thread
 * {@code Fiber} with an event queue. Plugins never suspend (no threads, no sleeping), so the build
 * calls {@code main} directly, which keeps the fiber scheduler and event queue (~3 KB) out of every
 * module.
 *
 * <p>TeaVM's runtime exports helpers for JavaScript embedders ({@code teavm_processQueue}, {@code
 * teavm_gc_collect}, ...). No proxy-wasm host calls them, and the build strips those exports
 * anyway; un-annotating them here lets TeaVM leave out the code only they reach (~2 KB).
 *
 * <p>An obfuscated module's stack trace says nothing ({@code Obfuscated.obfuscated}) and the SDK
 * reports a throwable by class and message, so {@code Throwable.fillInStackTrace} records nothing:
 * every exception is cheaper to create, and the stack walker stays out of the module. For the same
 * reason {@code ExceptionHandling.printStack} (TeaVM's dump to stderr before it aborts on an
 * out-of-memory error) prints nothing: no code is left that reads a frame's call-site slot except
 * exception dispatch in the portable exception mode.
 *
 * <p>{@code WasmRuntime.allocStack}, which opens every method's shadow-stack frame, is exported
 * under {@link #ALLOC_STACK_EXPORT} so the post-processing can find the frame pointers.
 */
public final class ProxyWasmTransformer implements ClassHolderTransformer {
  static final String WASI_SUPPORT = "org.teavm.backend.wasm.runtime.WasiSupport";
  static final String WASM_SUPPORT = "org.teavm.backend.wasm.runtime.WasmSupport";
  private static final MethodReference INIT_CLASSES =
      new MethodReference(WASM_SUPPORT, "initClasses", ValueType.VOID);
  private static final MethodReference RUN_MAIN =
      new MethodReference(
          "org.teavm.runtime.Fiber",
          "runMain",
          ValueType.arrayOf(ValueType.object("java.lang.String")),
          ValueType.VOID);

  static final String EXPORT = "org.teavm.interop.Export";
  static final String THROWABLE = "java.lang.Throwable";
  static final String EXCEPTION_HANDLING = "org.teavm.runtime.ExceptionHandling";
  static final String WASM_RUNTIME = "org.teavm.backend.wasm.WasmRuntime";

  /**
   * The export that names the shadow-stack frame allocator for the post-processing (see {@code
   * CallSiteStores}); the build removes it again.
   */
  public static final String ALLOC_STACK_EXPORT = "rustless_alloc_stack";

  private static final java.util.Set<String> UNEXPORTED =
      java.util.Set.of("org.teavm.runtime.EventQueue", "org.teavm.runtime.GC");

  @Override
  public void transformClass(ClassHolder cls, ClassHolderTransformerContext context) {
    if (cls.getName().equals(THROWABLE)) {
      withoutStackTraces(cls, context);
      return;
    }
    if (cls.getName().equals(EXCEPTION_HANDLING)) {
      for (MethodHolder method : cls.getMethods()) {
        if (method.getName().equals("printStack") && method.parameterCount() == 0) {
          ProgramEmitter.create(method, context.getHierarchy()).exit();
        }
      }
      return;
    }
    if (cls.getName().equals(WASM_RUNTIME)) {
      for (MethodHolder method : cls.getMethods()) {
        if (method.getName().equals("allocStack") && method.parameterCount() == 1) {
          AnnotationHolder export = new AnnotationHolder(EXPORT);
          export.getValues().put("name", new AnnotationValue(ALLOC_STACK_EXPORT));
          method.getAnnotations().add(export);
        }
      }
      return;
    }
    if (UNEXPORTED.contains(cls.getName())) {
      for (MethodHolder method : cls.getMethods()) {
        method.getAnnotations().remove(EXPORT);
      }
      return;
    }
    if (cls.getName().equals(WASM_SUPPORT)) {
      runMainDirectly(cls, context);
      return;
    }
    if (!cls.getName().equals(WASI_SUPPORT)) {
      return;
    }
    for (MethodHolder method : cls.getMethods()) {
      if (method.getName().equals("getArgs") && method.parameterCount() == 0) {
        ProgramEmitter pe = ProgramEmitter.create(method, context.getHierarchy());
        pe.constructArray(String.class, 0).returnValue();
      }
    }
  }

  private static void withoutStackTraces(ClassHolder cls, ClassHolderTransformerContext context) {
    for (MethodHolder method : cls.getMethods()) {
      if (method.getName().equals("fillInStackTrace") && method.parameterCount() == 0) {
        ProgramEmitter pe = ProgramEmitter.create(method, context.getHierarchy());
        pe.var(0, ValueType.object(THROWABLE)).returnValue();
      }
    }
  }

  private static void runMainDirectly(ClassHolder cls, ClassHolderTransformerContext context) {
    for (MethodHolder method : cls.getMethods()) {
      boolean withArgs = method.getName().equals("runWithArgs") && method.parameterCount() == 1;
      boolean withoutArgs =
          method.getName().equals("runWithoutArgs") && method.parameterCount() == 0;
      if (!withArgs && !withoutArgs) {
        continue;
      }
      ProgramEmitter pe = ProgramEmitter.create(method, context.getHierarchy());
      pe.invoke(INIT_CLASSES);
      ValueEmitter args = withArgs ? pe.var(1, String[].class) : pe.constructArray(String.class, 0);
      pe.invoke(RUN_MAIN, args);
      pe.exit();
    }
  }
}

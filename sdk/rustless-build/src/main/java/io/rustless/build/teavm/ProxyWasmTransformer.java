package io.rustless.build.teavm;

import org.teavm.model.ClassHolder;
import org.teavm.model.ClassHolderTransformer;
import org.teavm.model.ClassHolderTransformerContext;
import org.teavm.model.MethodHolder;
import org.teavm.model.emit.ProgramEmitter;

/**
 * Adapts TeaVM's WASI runtime to proxy-wasm hosts, which run a plugin without command-line
 * arguments.
 *
 * <p>TeaVM 0.13.1's {@code WasiSupport.getArgs()} allocates {@code new String[argc - 1]}; proxy
 * hosts report {@code argc = 0}, so {@code _start} silently corrupts the heap and the first GC
 * traps or loops. Replacing the method by {@code return new String[0]} makes {@code _start} safe
 * and drops the UTF-8 {@code Charset} machinery (~17 KB) and the {@code args_*} imports that only
 * it needed.
 */
public final class ProxyWasmTransformer implements ClassHolderTransformer {
  static final String WASI_SUPPORT = "org.teavm.backend.wasm.runtime.WasiSupport";

  @Override
  public void transformClass(ClassHolder cls, ClassHolderTransformerContext context) {
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
}

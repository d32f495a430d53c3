package io.rustless.v8;

import com.caoccao.javet.enums.JSRuntimeType;
import com.caoccao.javet.interop.loader.IJavetLibLoadingListener;
import com.caoccao.javet.interop.loader.JavetLibLoader;

/**
 * A JVM where Javet's native library cannot be found (it is looked for on the system library path
 * only, where it is not): what starting V8 says there. Run by {@link V8UnavailableTest}.
 */
public final class NoNativeLibrary {
  private NoNativeLibrary() {}

  public static void main(String[] args) {
    JavetLibLoader.setLibLoadingListener(
        new IJavetLibLoadingListener() {
          @Override
          public boolean isDeploy(JSRuntimeType type) {
            return false;
          }

          @Override
          public boolean isLibInSystemPath(JSRuntimeType type) {
            return true;
          }
        });
    try (V8Engine engine = new V8Engine()) {
      System.out.println("started " + engine.v8Version());
    } catch (V8UnavailableException e) {
      System.out.println("unavailable: " + e.getMessage());
      System.exit(3);
    }
  }
}

package io.rustless.sdk.lang;

/** Names exceptions the same way on the JVM and in a module. */
public final class Exceptions {
  private Exceptions() {}

  /** {@code Class: message}, or the class name alone without a message. */
  public static String describe(Throwable t) {
    String message = t.getMessage();
    String name = t.getClass().getName();
    if (name == null) {
      name = runtimeExceptionName(t);
    }
    return message == null ? name : name + ": " + message;
  }

  /**
   * TeaVM keeps a class's name only if its analysis sees the class reach {@code getName()};
   * exceptions the runtime itself raises (a bad array index, a failed cast) can be missing.
   */
  private static String runtimeExceptionName(Throwable t) {
    if (t instanceof ArrayIndexOutOfBoundsException) {
      return "java.lang.ArrayIndexOutOfBoundsException";
    }
    if (t instanceof ClassCastException) {
      return "java.lang.ClassCastException";
    }
    if (t instanceof NullPointerException) {
      return "java.lang.NullPointerException";
    }
    if (t instanceof NegativeArraySizeException) {
      return "java.lang.NegativeArraySizeException";
    }
    if (t instanceof ArithmeticException) {
      return "java.lang.ArithmeticException";
    }
    return t instanceof RuntimeException ? "java.lang.RuntimeException" : "java.lang.Throwable";
  }
}

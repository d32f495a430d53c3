package io.rustless.build;

/** Where the build reports progress and problems (Maven's log, the CLI's console). */
public interface BuildLog {
  void info(String message);

  void warn(String message);

  void error(String message);

  /** Details worth showing only on request; dropped by default. */
  default void debug(String message) {}
}

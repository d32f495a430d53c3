package io.rustless.cli;

import java.io.PrintStream;
import java.util.Objects;

/**
 * Where the tool writes: results on standard output (so {@code $(rustless push …)} captures only
 * them), progress and errors on standard error.
 */
public final class Console {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean verbose;

  public Console(PrintStream out, PrintStream err, boolean verbose) {
    this.out = Objects.requireNonNull(out);
    this.err = Objects.requireNonNull(err);
    this.verbose = verbose;
  }

  /** A result line. */
  public void result(String line) {
    out.println(line);
    out.flush();
  }

  /** A step of long work: {@code ==> Building say-hello}. */
  public void step(String line) {
    err.println("==> " + line);
    err.flush();
  }

  /** A detail under the current step. */
  public void detail(String line) {
    err.println("    " + line);
    err.flush();
  }

  /** A line shown only with {@code --verbose}. */
  public void debug(String line) {
    if (verbose) {
      err.println("    " + line);
      err.flush();
    }
  }

  public void warn(String line) {
    err.println("warning: " + line);
    err.flush();
  }

  public boolean verbose() {
    return verbose;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }
}

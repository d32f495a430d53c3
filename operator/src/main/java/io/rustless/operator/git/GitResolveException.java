package io.rustless.operator.git;

import io.rustless.operator.RustlessOperatorException;

/** A revision could not be resolved to a commit; the message says why, without credentials. */
public final class GitResolveException extends RustlessOperatorException {

  public GitResolveException(String message) {
    super(message);
  }

  public GitResolveException(String message, Throwable cause) {
    super(message, cause);
  }
}

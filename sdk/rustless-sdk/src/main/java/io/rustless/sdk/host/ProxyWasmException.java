package io.rustless.sdk.host;

import io.rustless.sdk.RustlessException;

/**
 * A host call returned a status other than OK (and other than NOT_FOUND where absence is a normal
 * answer, which is an empty {@link java.util.Optional} instead).
 */
public class ProxyWasmException extends RustlessException {
  private static final long serialVersionUID = 1L;
  private final Status status;

  public ProxyWasmException(String call, Status status) {
    super(call + " failed: " + status);
    this.status = status;
  }

  /** The status the host returned. */
  public Status status() {
    return status;
  }

  /** Throws the matching exception unless {@code code} is OK. */
  public static void check(String call, int code) {
    if (code != 0) {
      throw of(call, Status.fromCode(code));
    }
  }

  /** The exception for a non-OK status: {@link CasMismatchException} for CAS_MISMATCH. */
  public static ProxyWasmException of(String call, Status status) {
    if (status == Status.CAS_MISMATCH) {
      return new CasMismatchException(call);
    }
    return new ProxyWasmException(call, status);
  }
}

package io.rustless.sdk.host;

/**
 * A compare-and-swap write to shared data lost a race: somebody else wrote first. Read the value
 * again (with its new CAS token) and retry.
 */
public final class CasMismatchException extends ProxyWasmException {
  private static final long serialVersionUID = 1L;

  public CasMismatchException(String call) {
    super(call, Status.CAS_MISMATCH);
  }
}

package io.rustless.cli.registry;

import java.util.Map;
import java.util.Objects;

/**
 * A request the registry refuses: answered with the code's status and the spec's error body {@code
 * {"errors":[{"code":…,"message":…,"detail":…}]}}.
 */
final class RegistryError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final int status;
  private final transient Map<String, String> detail;

  RegistryError(ErrorCode code, String message) {
    this(code, code.status(), message, Map.of());
  }

  RegistryError(ErrorCode code, String message, Map<String, String> detail) {
    this(code, code.status(), message, detail);
  }

  RegistryError(ErrorCode code, int status, String message, Map<String, String> detail) {
    super(message, null, false, false);
    this.code = Objects.requireNonNull(code);
    this.status = status;
    this.detail = Map.copyOf(detail);
  }

  ErrorCode code() {
    return code;
  }

  int status() {
    return status;
  }

  Map<String, String> detail() {
    return detail;
  }
}

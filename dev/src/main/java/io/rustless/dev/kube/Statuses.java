package io.rustless.dev.kube;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/** The API server's {@code Status} error bodies. */
final class Statuses {
  private Statuses() {}

  static String json(int code, String reason, String message) {
    Status s =
        new StatusBuilder()
            .withStatus("Failure")
            .withCode(code)
            .withReason(reason)
            .withMessage(message)
            .withNewMetadata()
            .endMetadata()
            .build();
    return Serialization.asJson(s);
  }

  static String reason(int code, String method) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 406 -> "NotAcceptable";
      case 409 -> "POST".equals(method) ? "AlreadyExists" : "Conflict";
      case 410 -> "Expired";
      case 415 -> "UnsupportedMediaType";
      case 422 -> "Invalid";
      case 429 -> "TooManyRequests";
      default -> code >= 500 ? "InternalError" : "Unknown";
    };
  }
}

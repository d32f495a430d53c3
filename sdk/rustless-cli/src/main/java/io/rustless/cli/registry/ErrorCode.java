package io.rustless.cli.registry;

/**
 * The error codes of the OCI distribution spec (v1.1, "Error Codes"), each with the HTTP status
 * this registry answers it with, plus three of CNCF distribution's own.
 */
public enum ErrorCode {
  BLOB_UNKNOWN(404),
  BLOB_UPLOAD_INVALID(400),
  BLOB_UPLOAD_UNKNOWN(404),
  DIGEST_INVALID(400),
  MANIFEST_BLOB_UNKNOWN(400),
  MANIFEST_INVALID(400),
  MANIFEST_UNKNOWN(404),
  NAME_INVALID(400),
  NAME_UNKNOWN(404),
  SIZE_INVALID(400),
  UNAUTHORIZED(401),
  DENIED(403),
  UNSUPPORTED(405),
  TOOMANYREQUESTS(429),
  /** distribution's code for a chunk that does not start where the upload ends. */
  RANGE_INVALID(416),
  /** distribution's code for a bad {@code n} in a tags or catalog listing. */
  PAGINATION_NUMBER_INVALID(400),
  /** distribution's code for a failure of the registry itself (storage). */
  UNKNOWN(500);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  /** The HTTP status this code is answered with. */
  public int status() {
    return status;
  }
}

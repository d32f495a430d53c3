package io.rustless.operator.validation;

import io.rustless.operator.RustlessOperatorException;

/** A catalogue entry (an extension's spec.yaml) cannot be read. */
public final class CatalogueException extends RustlessOperatorException {

  public CatalogueException(String message, Throwable cause) {
    super(message, cause);
  }

  public CatalogueException(String message) {
    super(message);
  }
}

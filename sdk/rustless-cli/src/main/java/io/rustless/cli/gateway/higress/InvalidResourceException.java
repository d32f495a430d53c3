package io.rustless.cli.gateway.higress;

import io.rustless.cli.ExitCode;
import io.rustless.cli.ToolException;
import java.util.List;

/**
 * An object the API server would refuse (a field of the wrong type, an unknown field, an
 * unsupported enum value), or one Higress's controller refuses to translate (a match rule without a
 * condition). The message names the object and every field at fault.
 */
public final class InvalidResourceException extends ToolException {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  public InvalidResourceException(String object, List<String> errors) {
    super(ExitCode.USAGE, object + " is invalid: " + String.join("; ", errors));
    this.errors = List.copyOf(errors);
  }

  /** One entry per field, e.g. {@code spec.priority: Invalid value: "string": …}. */
  public List<String> errors() {
    return errors;
  }
}

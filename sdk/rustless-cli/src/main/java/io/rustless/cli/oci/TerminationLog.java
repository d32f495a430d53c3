package io.rustless.cli.oci;

import io.rustless.cli.ExitCode;
import io.rustless.cli.ToolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file Kubernetes shows as a container's termination message ({@code /dev/termination-log}).
 * The builder Job writes one JSON line there on success and nothing on failure, so that the pod's
 * policy FallbackToLogsOnError shows the log's last line instead.
 */
public final class TerminationLog {
  private TerminationLog() {}

  public static void write(Path file, PublishResult result) {
    try {
      Files.writeString(
          file,
          result.toJson() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new ToolException(
          ExitCode.INTERNAL,
          "pushed "
              + result.reference()
              + " but cannot write the termination log "
              + file
              + ": "
              + e.getMessage(),
          e);
    }
  }
}

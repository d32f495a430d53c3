package io.rustless.cli.command;

import io.rustless.cli.UsageException;
import io.rustless.cli.oci.Credentials;
import io.rustless.cli.oci.RegistryAccess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How to reach the registry; shared by push, verify and publish. */
public final class RegistryOptions {
  @Option(
      names = "--plain-http",
      description = "Talk HTTP, not HTTPS (a local or in-cluster registry).")
  boolean plainHttp;

  @Option(names = "--username", paramLabel = "<user>", description = "Registry user name.")
  String username;

  @Option(
      names = "--password",
      paramLabel = "<password>",
      description = "Registry password or token (prefer --password-stdin).")
  String password;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  @Option(
      names = "--docker-config",
      paramLabel = "<path>",
      description =
          "A docker config.json, or a directory holding one (default: $DOCKER_CONFIG/config.json,"
              + " else ~/.docker/config.json).")
  Path dockerConfig;

  /** The access these options describe; reads standard input for --password-stdin. */
  RegistryAccess access(InputStream stdin) {
    RegistryAccess.Builder b = RegistryAccess.builder().plainHttp(plainHttp);
    String pass = password;
    if (passwordStdin) {
      if (pass != null) {
        throw new UsageException("give --password or --password-stdin, not both");
      }
      try {
        pass = new String(stdin.readAllBytes(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UsageException("cannot read the password from standard input", e);
      }
    }
    if (username != null || pass != null) {
      if (username == null || pass == null) {
        throw new UsageException("--username and --password (or --password-stdin) go together");
      }
      b.credentials(new Credentials(username, pass));
    }
    if (dockerConfig != null) {
      b.dockerConfig(dockerConfig);
    }
    return b.build();
  }
}

package io.rustless.cli.command;

import io.rustless.cli.UsageException;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/**
 * {@code --listen host:port} of the commands that serve traffic ({@code serve}, {@code gateway}).
 */
public final class ListenOptions {
  @Option(
      names = {"-l", "--listen"},
      paramLabel = "<host:port>",
      defaultValue = "127.0.0.1:10000",
      description = "Where to listen (default: ${DEFAULT-VALUE}).")
  private String listen;

  /** The address to listen on; a usage error names the option when it is not host:port. */
  public InetSocketAddress address() {
    return parse(listen);
  }

  /** {@code host:port} (IPv6 in brackets), port 0 to 65535, as {@code --listen} takes it. */
  static InetSocketAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new UsageException(
          "bad --listen '" + text + "': expected host:port, e.g. 127.0.0.1:10000");
    }
    String host = text.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new UsageException("bad --listen '" + text + "': the port is not a number", e);
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("bad --listen '" + text + "': the port must be 0 to 65535");
    }
    return new InetSocketAddress(
        host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
  }
}

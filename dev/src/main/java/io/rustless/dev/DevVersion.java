package io.rustless.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Rustless version of this build (the operator jar's filtered version resource). */
final class DevVersion {

  static final String VERSION = read();

  private DevVersion() {}

  private static String read() {
    try (InputStream in =
        DevVersion.class.getResourceAsStream("/io/rustless/operator/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      var p = new Properties();
      p.load(in);
      return p.getProperty("rustless.version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

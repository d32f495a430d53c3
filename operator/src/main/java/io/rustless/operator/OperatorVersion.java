package io.rustless.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Rustless version this operator was built from (Maven-filtered resource). */
final class OperatorVersion {

  private static final String RESOURCE = "/io/rustless/operator/version.properties";

  private OperatorVersion() {}

  static String sdkVersion() {
    try (InputStream in = OperatorVersion.class.getResourceAsStream(RESOURCE)) {
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

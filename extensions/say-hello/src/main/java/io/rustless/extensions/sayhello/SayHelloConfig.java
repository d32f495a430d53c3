package io.rustless.extensions.sayhello;

import io.rustless.sdk.higress.config.ConfigReader;

/**
 * say-hello's configuration.
 *
 * @param name who to greet (required)
 */
public record SayHelloConfig(String name) {

  /** Parses one configuration object (global or a rule's). */
  public static SayHelloConfig parse(ConfigReader config) {
    return new SayHelloConfig(config.requireString("name"));
  }
}

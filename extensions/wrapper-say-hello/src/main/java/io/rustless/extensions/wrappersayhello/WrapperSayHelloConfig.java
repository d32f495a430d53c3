package io.rustless.extensions.wrappersayhello;

import io.rustless.sdk.higress.config.ConfigReader;

/**
 * wrapper-say-hello's configuration.
 *
 * @param name who to greet; empty greets the world
 */
public record WrapperSayHelloConfig(String name) {

  public static WrapperSayHelloConfig parse(ConfigReader config) {
    return new WrapperSayHelloConfig(config.getString("name", ""));
  }
}

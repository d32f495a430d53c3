package io.rustless.sdk.higress.config;

/**
 * Turns one configuration object (the global part, or one rule's) into the plugin's config record.
 * Throw {@link InvalidConfigException} (the reader's accessors do) for anything wrong.
 */
@FunctionalInterface
public interface ConfigParser<C> {
  C parse(ConfigReader config);
}

package io.rustless.cli.command;

import io.rustless.cli.UsageException;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A plugin configuration file: JSON, checked here so a typo is one line, not a plugin error. */
final class PluginConfigFile {
  private PluginConfigFile() {}

  /**
   * The configuration in {@code file}, else the extension's demo configuration, else none ({@code
   * ""}, as a gateway passes an empty configuration).
   */
  static String read(Path file, Optional<Path> demo) {
    Path p = file != null ? file : demo.orElse(null);
    if (p == null) {
      return "";
    }
    String text;
    try {
      text = Files.readString(p, StandardCharsets.UTF_8);
    } catch (MalformedInputException e) {
      throw new UsageException("config file " + p + " is not UTF-8 text", e);
    } catch (IOException e) {
      throw new UsageException("cannot read config file " + p + ": " + describe(e), e);
    }
    if (!text.isBlank()) {
      try {
        Json.parse(text);
      } catch (JsonException e) {
        throw new UsageException("config file " + p + " is not valid JSON: " + e.getMessage(), e);
      }
    }
    return text;
  }

  static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}

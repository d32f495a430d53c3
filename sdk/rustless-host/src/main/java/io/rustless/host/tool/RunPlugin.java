package io.rustless.host.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code RunPlugin <plugin.wasm> <config.json> <requests.txt>}: the demo behind {@code mvn -Ddemo}.
 * Exit status 1 with one line on bad input, 2 if the plugin rejects its configuration.
 */
public final class RunPlugin {
  private RunPlugin() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: RunPlugin <plugin.wasm> <config.json> <requests.txt>");
      System.exit(1);
    }
    Path wasm = Path.of(args[0]);
    String config;
    List<SampleRequest> requests = new ArrayList<>();
    try {
      if (!Files.isRegularFile(wasm)) {
        throw new IllegalArgumentException(wasm + " does not exist: build the extension first");
      }
      config = Files.readString(Path.of(args[1]));
      int n = 0;
      for (String line : Files.readAllLines(Path.of(args[2]))) {
        n++;
        if (line.isBlank() || line.trim().startsWith("#")) {
          continue;
        }
        try {
          requests.add(SampleRequest.parse(line));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(args[2] + ":" + n + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    }
    boolean ok = new PluginRunner(System.out).run(wasm, config, requests);
    System.out.flush();
    if (!ok) {
      System.exit(2);
    }
  }
}

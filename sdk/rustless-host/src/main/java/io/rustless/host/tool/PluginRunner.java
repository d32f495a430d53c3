package io.rustless.host.tool;

import io.rustless.host.HttpStream;
import io.rustless.host.LocalReply;
import io.rustless.host.LogLine;
import io.rustless.host.ProxyHost;
import io.rustless.host.Vm;
import io.rustless.host.chicory.ChicoryModule;
import io.rustless.host.upstream.Upstreams;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a built plugin in Rustless's proxy-wasm host on sample requests and prints what a client
 * would see: the local reply, or the request as the plugin passed it upstream. Log lines at INFO
 * and above are printed as they come.
 */
public final class PluginRunner {
  private final PrintStream out;
  private final Upstreams upstreams;

  public PluginRunner(PrintStream out) {
    this(out, Upstreams.none());
  }

  /** A runner whose plugin's calls out go to {@code upstreams}. */
  public PluginRunner(PrintStream out, Upstreams upstreams) {
    this.out = out;
    this.upstreams = upstreams;
  }

  /**
   * Runs {@code requests} against {@code wasm} configured with {@code config}; false if the plugin
   * rejected its configuration.
   */
  public boolean run(Path wasm, String config, List<SampleRequest> requests) {
    long t0 = System.nanoTime();
    ChicoryModule module = ChicoryModule.load(wasm);
    try (Vm vm =
        ProxyHost.create()
            .vm(module)
            .pluginConfiguration(config)
            .upstreams(upstreams)
            .logSink(this::printLog)
            .start()) {
      long startMicros = (System.nanoTime() - t0) / 1000;
      out.printf(
          "plugin  %s (%,d bytes), loaded and configured in %.1f ms%n",
          wasm, module.size(), startMicros / 1000.0);
      out.println("config  " + config.strip().replaceAll("\\s+", " "));
      if (vm.startStatus() != StartStatus.OK) {
        out.println("the plugin rejected its configuration (see the log lines above)");
        return false;
      }
      for (SampleRequest r : requests) {
        out.println();
        out.println("> " + r.line());
        try (HttpStream stream = vm.newStream()) {
          if (r.routeName() != null) {
            stream.setProperty(List.of("route_name"), utf8(r.routeName()));
          }
          if (r.clusterName() != null) {
            stream.setProperty(List.of("cluster_name"), utf8(r.clusterName()));
          }
          boolean hasBody = r.body() != null;
          stream.requestHeaders(r.headers(), !hasBody);
          if (hasBody && stream.getLocalReply().isEmpty()) {
            stream.requestBody(r.body(), true);
          }
          printOutcome(stream);
        }
      }
      return true;
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void printLog(LogLine line) {
    if (line.level().code() >= LogLevel.INFO.code()) {
      out.println("  log " + line);
    }
  }

  private void printOutcome(HttpStream stream) {
    LocalReply reply = stream.getLocalReply().orElse(null);
    if (reply != null) {
      out.println("< " + reply.statusCode() + " (answered by the plugin)");
      printHeaders(reply.headers(), "< ");
      out.println("<");
      out.println(indent(reply.bodyString()));
      return;
    }
    out.println("  passed upstream with:");
    printHeaders(stream.getRequestHeaders(), "    ");
    byte[] body = stream.getForwardedRequestBody();
    if (body.length > 0) {
      out.println("    <body> " + new String(body, StandardCharsets.UTF_8));
    }
  }

  private void printHeaders(HeaderMap headers, String prefix) {
    for (int i = 0; i < headers.size(); i++) {
      out.println(prefix + headers.name(i) + ": " + headers.value(i));
    }
  }

  private static String indent(String body) {
    return "  " + body.replace("\n", "\n  ");
  }
}

package io.rustless.testing.tool;

import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.LogEntry;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.TestHost;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a built plugin in Rustless's proxy-wasm host on sample requests and prints what a client
 * would see: the local reply, or the request as the plugin passed it upstream.
 */
public final class PluginRunner {
  private final PrintStream out;

  public PluginRunner(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs {@code requests} against {@code wasm} configured with {@code config}; false on failure.
   */
  public boolean run(Path wasm, String config, List<SampleRequest> requests) {
    long t0 = System.nanoTime();
    PluginHarness harness = PluginHarness.wasm(wasm);
    try (TestHost host = harness.host().pluginConfiguration(config).start()) {
      long startMicros = (System.nanoTime() - t0) / 1000;
      out.printf(
          "plugin  %s (%,d bytes), loaded and configured in %.1f ms%n",
          wasm, wasm.toFile().length(), startMicros / 1000.0);
      out.println("config  " + config.strip().replaceAll("\\s+", " "));
      int logsShown = printLogs(host.getLogs(), 0);
      if (host.startStatus() != StartStatus.OK) {
        out.println("the plugin rejected its configuration (see the log lines above)");
        return false;
      }
      for (SampleRequest r : requests) {
        out.println();
        out.println("> " + r.line());
        if (r.routeName() != null) {
          host.setRouteName(r.routeName());
        }
        if (r.clusterName() != null) {
          host.setClusterName(r.clusterName());
        }
        boolean hasBody = r.body() != null;
        host.callOnHttpRequestHeaders(r.headers(), !hasBody);
        if (hasBody && host.getLocalResponse().isEmpty()) {
          host.callOnHttpRequestBody(r.body(), true);
        }
        printOutcome(host, r);
        host.completeHttp();
        logsShown = printLogs(host.getLogs(), logsShown);
        host.setRouteName("");
        host.setClusterName("");
      }
      return true;
    }
  }

  private void printOutcome(TestHost host, SampleRequest request) {
    LocalResponse reply = host.getLocalResponse().orElse(null);
    if (reply != null) {
      out.println("< " + reply.statusCode() + " (answered by the plugin)");
      printHeaders(reply.headers(), "< ");
      out.println("<");
      out.println(indent(reply.bodyString()));
      return;
    }
    out.println("  passed upstream with:");
    printHeaders(host.getRequestHeaders(), "    ");
    byte[] body = host.getForwardedRequestBody();
    if (body.length > 0) {
      out.println("    <body> " + new String(body, StandardCharsets.UTF_8));
    }
  }

  private void printHeaders(HeaderMap headers, String prefix) {
    for (int i = 0; i < headers.size(); i++) {
      out.println(prefix + headers.name(i) + ": " + headers.value(i));
    }
  }

  private int printLogs(List<LogEntry> logs, int from) {
    for (int i = from; i < logs.size(); i++) {
      LogEntry e = logs.get(i);
      if (e.level().code() >= LogLevel.INFO.code()) {
        out.println("  log " + e);
      }
    }
    return logs.size();
  }

  private static String indent(String body) {
    return "  " + body.replace("\n", "\n  ");
  }
}

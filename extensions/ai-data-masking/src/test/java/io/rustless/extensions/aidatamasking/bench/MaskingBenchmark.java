package io.rustless.extensions.aidatamasking.bench;

import io.rustless.extensions.aidatamasking.AiDataMaskingPlugin;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.higress.json.JsonString;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.TestHost;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * The benchmark: a 1 MiB OpenAI chat request (prose in English and Chinese with e-mail
 * addresses, IPs, phone numbers, ID numbers and API keys sprinkled in) checked against 1,000 deny
 * words and masked by 5 replace rules, in the Wasm module (in the test kit's host on Chicory's
 * compiler and on V8) and the same code on the JVM. One call = request headers + the whole body +
 * the end of the stream. Prints the median and the minimum of the per-round averages and the
 * Wasm/JVM ratios of the medians. Not a test: run it with {@code mvn -pl extensions/ai-data-masking
 * -am verify -Pbench -DskipTests}.
 */
public final class MaskingBenchmark {
  static final int BODY_BYTES = 1 << 20;
  static final int DENY_WORDS = 1000;

  private static final String[] ENGLISH = {
    "the",
    "model",
    "gateway",
    "request",
    "answer",
    "please",
    "summarise",
    "quarterly",
    "report",
    "customer",
    "support",
    "ticket",
    "deploy",
    "cluster",
    "service",
    "latency",
    "budget",
    "meeting",
    "tomorrow",
    "contract",
    "invoice",
    "shipping",
    "address",
    "account",
    "password",
    "reset",
    "review",
    "draft",
    "email",
    "policy",
    "travel",
    "expense",
    "approve",
    "schedule",
    "team",
    "project",
    "release",
    "version",
    "database",
    "migration",
    "backup",
    "restore",
    "network"
  };
  private static final String CHINESE =
      "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质";

  private final PrintStream out;
  private final int rounds;
  private final int perRound;
  private final int piiPerMille;

  MaskingBenchmark(PrintStream out, int rounds, int perRound, int piiPerMille) {
    this.out = out;
    this.rounds = rounds;
    this.perRound = perRound;
    this.piiPerMille = piiPerMille;
  }

  public static void main(String[] args) {
    Path wasm = Path.of(args.length > 0 ? args[0] : "target/plugin.wasm");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int pii = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    new MaskingBenchmark(System.out, rounds, perRound, pii).run(wasm);
  }

  /**
   * The figures: {@code [chicory median, chicory min, v8 median, v8 min, jvm median, jvm min]} in
   * milliseconds of wall time (the printed table adds each one's median thread CPU time).
   */
  double[] run(Path wasm) {
    Random r = new Random(2024);
    String body = body(r, piiPerMille);
    List<String> words = denyWords(r, body);
    String config = config(words);
    out.printf(
        Locale.ROOT,
        "ai-data-masking benchmark: %,d-byte OpenAI request, %d deny words, 5 replace rules,"
            + " %.1f%% of the words personal data (%d masked)%n",
        body.getBytes(StandardCharsets.UTF_8).length,
        words.size(),
        piiPerMille / 10.0,
        masks(body));
    double[] w = measure(PluginHarness.wasm(wasm), config, body);
    double[] v = measure(PluginHarness.v8(wasm), config, body);
    double[] j = measure(PluginHarness.jvm(AiDataMaskingPlugin.class), config, body);
    String format = "%-34s %7.2f ms %7.2f ms %7.2f ms  %s%n";
    out.printf(
        Locale.ROOT,
        "%-34s %10s %10s %10s  %s%n",
        "case (wall: median, min; CPU)",
        "median",
        "min",
        "CPU",
        "ratio (wall medians)");
    out.printf(
        Locale.ROOT,
        format,
        "Wasm in Chicory (compiler)",
        w[0],
        w[1],
        w[2],
        String.format(Locale.ROOT, "%.2f× the JVM", w[0] / j[0]));
    out.printf(
        Locale.ROOT,
        format,
        "Wasm in V8 (Javet)",
        v[0],
        v[1],
        v[2],
        String.format(Locale.ROOT, "%.2f× the JVM", v[0] / j[0]));
    out.printf(Locale.ROOT, format, "JVM (same code, test kit host)", j[0], j[1], j[2], "");
    out.printf(
        Locale.ROOT,
        "Wasm / JVM (medians): Chicory %.2f×, V8 %.2f×; thread CPU time: Chicory %.2f×, V8 %.2f×"
            + " (the JVM's own GC and JIT threads are not in its CPU figure)%n",
        w[0] / j[0],
        v[0] / j[0],
        w[2] / j[2],
        v[2] / j[2]);
    return new double[] {w[0], w[1], v[0], v[1], j[0], j[1]};
  }

  private double[] measure(PluginHarness plugin, String config, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HeaderMap headers =
        HeaderMap.of(
            ":method",
            "POST",
            ":path",
            "/v1/chat/completions",
            ":authority",
            "llm.example.com",
            "content-type",
            "application/json");
    try (TestHost host = plugin.start(config)) {
      if (host.startStatus() != StartStatus.OK) {
        throw new IllegalStateException("configuration failed: " + host.getLogs());
      }
      Runnable call =
          () -> {
            host.callOnHttpRequestHeaders(headers, false);
            host.callOnHttpRequestBody(bytes, true);
            host.completeHttp();
          };
      // check once that the body was masked, not blocked
      host.callOnHttpRequestHeaders(headers, false);
      host.callOnHttpRequestBody(bytes, true);
      if (host.getLocalResponse().isPresent()) {
        throw new IllegalStateException("the benchmark body was blocked: " + host.getLogs());
      }
      String forwarded = new String(host.getForwardedRequestBody(), StandardCharsets.UTF_8);
      if (forwarded.contains("sk-") || !forwarded.contains("****@example.com")) {
        throw new IllegalStateException("the benchmark body was not masked");
      }
      host.completeHttp();
      for (int i = 0; i < Math.max(1, rounds / 3) * perRound; i++) {
        call.run();
      }
      double[] perCall = new double[rounds];
      double[] cpuPerCall = new double[rounds];
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      for (int k = 0; k < rounds; k++) {
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < perRound; i++) {
          call.run();
        }
        perCall[k] = (System.nanoTime() - t0) / 1e6 / perRound;
        cpuPerCall[k] = (threads.getCurrentThreadCpuTime() - c0) / 1e6 / perRound;
      }
      Arrays.sort(perCall);
      Arrays.sort(cpuPerCall);
      return new double[] {perCall[rounds / 2], perCall[0], cpuPerCall[rounds / 2]};
    }
  }

  /** Exactly 1 MiB of chat messages, with 1% of the words personal data. */
  static String body(Random r) {
    return body(r, 10);
  }

  /** Exactly 1 MiB of chat messages; {@code piiPerMille} of the words are personal data. */
  static String body(Random r, int piiPerMille) {
    StringBuilder sb = new StringBuilder("{\"model\":\"qwen-max\",\"stream\":false,\"messages\":[");
    int n = 0;
    int bytes = sb.length();
    while (bytes < BODY_BYTES - 30_000) {
      if (n++ > 0) {
        sb.append(',');
      }
      int before = sb.length();
      sb.append("{\"role\":\"").append(n % 2 == 0 ? "assistant" : "user").append("\",\"content\":");
      JsonString.quote(message(r, 4000, piiPerMille), sb);
      sb.append('}');
      bytes += sb.substring(before).getBytes(StandardCharsets.UTF_8).length;
    }
    sb.append("],\"temperature\":0.7}");
    // pad to exactly 1 MiB of UTF-8
    String s = sb.toString();
    int missing = BODY_BYTES - s.getBytes(StandardCharsets.UTF_8).length;
    return s.substring(0, s.length() - 1)
        + ",\"x\":\""
        + "-".repeat(Math.max(0, missing - 7))
        + "\"}";
  }

  private static String message(Random r, int chars, int piiPerMille) {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < chars) {
      int roll = r.nextInt(1000);
      int kind = roll < piiPerMille ? 90 + r.nextInt(10) : roll % 90;
      if (kind < 55) {
        sb.append(ENGLISH[r.nextInt(ENGLISH.length)]).append(r.nextInt(8) == 0 ? ". " : " ");
      } else if (kind < 90) {
        for (int i = 0; i < 2 + r.nextInt(6); i++) {
          sb.append(CHINESE.charAt(r.nextInt(CHINESE.length())));
        }
        sb.append(r.nextInt(4) == 0 ? "，" : "");
      } else if (kind < 93) {
        sb.append("user").append(r.nextInt(1000)).append("@example.com ");
      } else if (kind < 95) {
        sb.append("10.")
            .append(r.nextInt(256))
            .append('.')
            .append(r.nextInt(256))
            .append('.')
            .append(r.nextInt(256))
            .append(' ');
      } else if (kind < 97) {
        sb.append("1")
            .append(30 + r.nextInt(60))
            .append(10_000_000 + r.nextInt(89_999_999))
            .append(' ');
      } else if (kind < 98) {
        sb.append("11010519")
            .append(1950 + r.nextInt(60))
            .append("0101")
            .append(1000 + r.nextInt(8999))
            .append(' ');
      } else {
        sb.append("sk-").append(Long.toString(r.nextLong() & Long.MAX_VALUE, 36)).append(' ');
      }
    }
    return sb.toString();
  }

  /** How many values the five rules mask in {@code body} (an estimate: e-mails, IPs, keys, …). */
  static int masks(String body) {
    int n = 0;
    for (String marker : new String[] {"@example.com", "sk-", " 10.", "11010519"}) {
      for (int i = body.indexOf(marker); i >= 0; i = body.indexOf(marker, i + 1)) {
        n++;
      }
    }
    return n;
  }

  /** Words and phrases close to the body's vocabulary that the body does not contain. */
  static List<String> denyWords(Random r, String body) {
    String lower = body.toLowerCase(Locale.ROOT);
    Set<String> out = new LinkedHashSet<>();
    while (out.size() < DENY_WORDS) {
      String w;
      int kind = r.nextInt(10);
      if (kind < 4) {
        w = ENGLISH[r.nextInt(ENGLISH.length)] + "x" + ENGLISH[r.nextInt(ENGLISH.length)];
      } else if (kind < 6) {
        w =
            ENGLISH[r.nextInt(ENGLISH.length)]
                + " "
                + ENGLISH[r.nextInt(ENGLISH.length)]
                + " "
                + ENGLISH[r.nextInt(ENGLISH.length)]
                + " now";
      } else {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3 + r.nextInt(3); i++) {
          sb.append(CHINESE.charAt(r.nextInt(CHINESE.length())));
        }
        w = sb.toString();
      }
      if (!lower.contains(w)) {
        out.add(w);
      }
    }
    return new ArrayList<>(out);
  }

  static String config(List<String> words) {
    StringBuilder sb = new StringBuilder("{\"system_deny\": false, \"deny_words\": [");
    for (int i = 0; i < words.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      JsonString.quote(words.get(i), sb);
    }
    sb.append(
        "], \"replace_roles\": ["
            + "{\"regex\": \"%{EMAILLOCALPART}@%{HOSTNAME:domain}\", \"type\": \"replace\","
            + " \"restore\": true, \"value\": \"****@$domain\"},"
            + "{\"regex\": \"%{IP}\", \"type\": \"replace\", \"restore\": true, \"value\": \"***.***.***.***\"},"
            + "{\"regex\": \"%{MOBILE}\", \"type\": \"replace\", \"value\": \"[phone]\"},"
            + "{\"regex\": \"%{IDCARD}\", \"type\": \"hash\"},"
            + "{\"regex\": \"sk-[0-9a-zA-Z]+\", \"type\": \"hash\", \"restore\": true}]}");
    return sb.toString();
  }
}

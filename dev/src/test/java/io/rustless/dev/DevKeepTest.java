package io.rustless.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustless.dev.kube.Kubectl;
import io.rustless.testservices.DebianRegistry;
import io.rustless.testservices.ProgramPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./rustless dev --keep} as README shows it: the parts stay up and it prints what to try;
 * the printed kubectl command applies the example through the printed kubeconfig, the source gets
 * Ready, and the printed curl gets say-hello's answer; stopping (Ctrl-C's hook) stops every part
 * and the command returns 0. Build Jobs as local processes (the side without podman).
 */
class DevKeepTest {

  @TempDir Path dir;

  @Test
  void keepStaysUpForKubectlAndCurlAsPrintedAndStopsCleanly() throws Exception {
    Path kubectlBinary = Kubectl.find();
    Path checkout = DevLifecycleTest.checkout();
    // Missing, docker-registry skips the test, except in CI, where .ci/run installs it.
    DebianRegistry registry =
        DebianRegistry.builder()
            .directory(dir.resolve("registry"))
            .programs(ProgramPolicy.skipUnless(inCi(), "in CI"))
            .start();
    var bytes = new ByteArrayOutputStream();
    var out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    var main = new DevMain(out, Optional.of(Gateways.starter()));
    AtomicInteger code = new AtomicInteger(-1);
    Thread run =
        new Thread(
            () ->
                code.set(
                    new CommandLine(main)
                        .execute(
                            "--keep",
                            "--no-demo",
                            "--registry",
                            registry.host(),
                            "--jobs",
                            "process",
                            "--listen",
                            "127.0.0.1:0",
                            "--dir",
                            dir.toString())));
    run.start();
    try {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> printed(bytes).contains("==> up until Ctrl-C") || !run.isAlive());
      String printed = printed(bytes);
      assertThat(printed)
          .contains("==> up until Ctrl-C")
          .contains("registry        " + registry.host() + "  (--registry)");
      Path kubeconfig = Path.of(find(printed, "export KUBECONFIG=(\\S+)"));
      Path example = checkout.resolve(find(printed, "kubectl apply -f (\\S+)"));
      String gateway = find(printed, "curl -H 'Host: hello.example.com' (\\S+)/");
      assertThat(Files.readString(example)).doesNotContain("registry.example.com");

      var kubectl =
          new Kubectl(
              kubectlBinary, kubeconfig, Files.createDirectories(dir.resolve("kubectl-cache")));
      kubectl.run("apply", "-f", example.toString()).ok();
      await()
          .atMost(Duration.ofMinutes(12))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  kubectl
                      .run(
                          "get",
                          "rwps",
                          "say-hello",
                          "-n",
                          "default",
                          "-o",
                          "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
                      .out()
                      .equals("True"));
      String url =
          kubectl
              .run(
                  "get",
                  "wasmplugin",
                  "default.say-hello",
                  "-n",
                  "higress-system",
                  "-o",
                  "jsonpath={.spec.url}")
              .ok()
              .out();
      String digest = url.substring(url.indexOf('@') + 1);
      assertThat(url).isEqualTo("oci://" + registry.host() + "/plugins/say-hello@" + digest);
      assertThat(registry.manifestDigest("plugins/say-hello", digest)).contains(digest);
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () ->
                  RawHttp.get(java.net.URI.create(gateway), "hello.example.com", "/")
                      .body()
                      .equals("Hello, Lucy!"));
    } finally {
      main.stop();
      run.join(Duration.ofMinutes(1).toMillis());
      registry.close();
    }
    assertThat(run.isAlive()).isFalse();
    assertThat(code.get()).as(printed(bytes)).isZero();
    assertThat(printed(bytes)).contains("==> stopped: every part");
  }

  private static boolean inCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equals("false");
  }

  private static String printed(ByteArrayOutputStream bytes) {
    synchronized (bytes) {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("%s in:%n%s", regex, text).isTrue();
    return m.group(1);
  }
}

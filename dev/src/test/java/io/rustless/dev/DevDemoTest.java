package io.rustless.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./rustless dev} as a user runs it (no option: build Jobs by podman when it can run the
 * builder image, else as local processes), asserting what the demo prints: the conditions as they
 * change, the answers through the gateway before and after a config-only change (no rebuild), the
 * invalid config refused with the field named while the last good WasmPlugin keeps serving, the
 * delete, the summary; and that it exits 0 with every part stopped.
 */
class DevDemoTest {

  @TempDir Path dir;

  @Test
  void theDemoShowsTheWholeLifecycleAndExitsZero() {
    var bytes = new ByteArrayOutputStream();
    var out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code =
        new CommandLine(new DevMain(out, Optional.of(Gateways.starter())))
            .execute("--dir", dir.toString());
    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
    assertThat(code).as(printed).isZero();

    // the parts
    assertThat(printed)
        .contains("Kubernetes API  http://127.0.0.1:")
        .contains("(kubeconfig " + dir.resolve("kubeconfig") + ")")
        .contains("registry        127.0.0.1:")
        .contains("(embedded)")
        .containsPattern("build Jobs      (podman runs|.*local processes run)")
        .contains("gateway         http://127.0.0.1:");
    // CI builds the builder image and requires the container tests: there the Jobs run in podman.
    if ("required".equals(System.getenv("RUSTLESS_CONTAINER_TESTS"))) {
      assertThat(printed).contains("build Jobs      podman runs localhost/rustless/builder:");
    }
    // 1. applied, built, pushed: the conditions as they changed, with times
    assertThat(printed)
        .containsPattern("\\+\\d+\\.\\ds\\s+ConfigValid\\s+True\\s+Valid")
        .containsPattern("\\+\\d+\\.\\ds\\s+Built\\s+Unknown\\s+Building\\s+build Job say-hello-")
        .containsPattern("\\+\\d+\\.\\ds\\s+Built\\s+True\\s+Succeeded")
        .containsPattern("\\+\\d+\\.\\ds\\s+Ready\\s+True\\s+Ready")
        .containsPattern(
            "WasmPlugin higress-system/default.say-hello: oci://127\\.0\\.0\\.1:\\d+/plugins/"
                + "say-hello@sha256:[0-9a-f]{64}")
        .contains("by 1 build Job");
    // 2. served: the match rule's config on its domain; say-hello's own default elsewhere
    assertThat(printed)
        .contains("'Host: hello.example.com'")
        .contains("->  200 Hello, Lucy!")
        .contains("'Host: other.example.com'");
    // 3. config only: new answers, no rebuild
    assertThat(printed)
        .contains("->  200 Hello, Ana!")
        .contains("->  200 Hello, everyone!")
        .contains("no rebuild: still 1 build Job, same digest sha256:");
    // 4. invalid: the field named, the WasmPlugin unchanged and still serving the last good config
    String invalid = printed.substring(printed.indexOf("==> 4."), printed.indexOf("==> 5."));
    assertThat(invalid)
        .contains("ConfigValid=False: defaultConfig.name: must be string")
        .contains("WasmPlugin higress-system/default.say-hello unchanged")
        .contains("->  200 Hello, Ana!")
        .contains("->  200 Hello, everyone!");
    // 5. deleted: the WasmPlugin goes, requests reach the upstream
    String deleted = printed.substring(printed.indexOf("==> 5."));
    assertThat(deleted)
        .contains("WasmPlugin higress-system/default.say-hello deleted")
        .contains("->  200 upstream: GET / (host hello.example.com)")
        .contains("==> Summary")
        .contains("config change applied in")
        .contains("without a rebuild")
        .contains("==> done: every part stopped");
  }
}

package io.rustless.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.fixture.Cli;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rustless gateway}: bad input ends with one line and the usage exit code. */
class GatewayCommandTest {
  @TempDir Path tmp;

  private static void assertOneLine(Cli run, int exit, String line) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(exit);
    assertThat(run.lastErrorLine()).as(run.toString()).isEqualTo(line);
    assertThat(run.hasStackTrace()).as(run.toString()).isFalse();
  }

  @Test
  void needsResourcesOrAKubeconfig() {
    assertOneLine(
        Cli.run("gateway"),
        2,
        "error: give --resources <dir or file> (WasmPlugin and Ingress YAML) or --kubeconfig"
            + " <file>");
    assertOneLine(
        Cli.run("gateway", "--resources", tmp.toString(), "--kubeconfig", tmp.toString()),
        2,
        "error: give --resources or --kubeconfig, not both");
    assertOneLine(
        Cli.run("gateway", "--resources", tmp.resolve("none").toString()),
        2,
        "error: resources: " + tmp.resolve("none") + " does not exist");
    assertOneLine(
        Cli.run("gateway", "--kubeconfig", tmp.resolve("none").toString()),
        2,
        "error: kubeconfig " + tmp.resolve("none") + " does not exist");
  }

  @Test
  void badOptionsAreNamed() {
    String dir = tmp.toString();
    assertOneLine(
        Cli.run("gateway", "--resources", dir, "--upstream", "ftp://x"),
        2,
        "error: bad --upstream: expected http://host:port");
    assertOneLine(
        Cli.run("gateway", "--resources", dir, "--service", "web"),
        2,
        "error: bad --service 'web': expected NAME=URL, e.g."
            + " backend.default.svc.cluster.local:80=http://127.0.0.1:8080");
    assertOneLine(
        Cli.run("gateway", "--resources", dir, "--listen", "nowhere"),
        2,
        "error: bad --listen 'nowhere': expected host:port, e.g. 127.0.0.1:10000");
    assertOneLine(
        Cli.run("gateway", "--resources", dir, "--workers", "0"),
        2,
        "error: --workers must be at least 1");
    assertOneLine(
        Cli.run("gateway", "--resources", dir, "--poll-interval", "1"),
        2,
        "error: --poll-interval must be at least 50 ms");
  }

  @Test
  void printConfigShowsWhatHigressMakesOfTheResources() throws Exception {
    Path repo = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
    Cli run =
        Cli.run(
            "gateway",
            "--resources",
            repo.resolve("examples/gateway").toString(),
            "--print-config");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .isEqualTo(
            String.join(
                "\n",
                "WasmPlugin higress-system/request-block (AUTHZ, priority 320, FAIL_CLOSE)",
                "  url            oci://127.0.0.1:5000/plugins/request-block:0.1.0",
                "  configuration  {\"block_urls\":[\"/admin\"],\"blocked_message\":\"blocked by"
                    + " request-block\"}",
                "WasmPlugin higress-system/say-hello (UNSPECIFIED_PHASE, priority 10, FAIL_CLOSE)",
                "  url            oci://127.0.0.1:5000/plugins/say-hello:0.1.0",
                "  configuration  {\"_rules_\":[{\"_match_domain_\":[\"*.foo.example.com\"],"
                    + "\"name\":\"Foo\"},{\"_match_route_\":[\"default/lucy\"],\"name\":\"Lucy\"}],"
                    + "\"name\":\"Alice\"}",
                "route default/lucy: hello.example.com Prefix /lucy ->"
                    + " outbound|80||backend.default.svc.cluster.local",
                "route web: hello.example.com Prefix / ->"
                    + " outbound|80||backend.higress-system.svc.cluster.local",
                "chain: request-block -> say-hello",
                ""));

    Files.writeString(
        tmp.resolve("bad.yaml"),
        """
        apiVersion: extensions.higress.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: bad, namespace: higress-system}
        spec:
          matchRules:
            - config: {name: nowhere}
        """);
    Cli bad = Cli.run("gateway", "--resources", tmp.toString(), "--print-config");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err())
        .contains(
            "error: WasmPlugin higress-system/bad is invalid: invalid match rule has no match"
                + " condition");
    assertThat(bad.lastErrorLine()).isEqualTo("error: 1 resource is refused");
  }

  @Test
  void anAddressInUseIsOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Files.writeString(tmp.resolve("empty.yaml"), "");
      Cli run =
          Cli.run(
              "gateway",
              "--resources",
              tmp.toString(),
              "--listen",
              "127.0.0.1:" + taken.getLocalPort());
      assertOneLine(
          run, 2, "error: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address in use");
    }
  }

  @Test
  void anUnreachableClusterIsOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """
            .formatted(port));
    Cli run = Cli.run("gateway", "--kubeconfig", kubeconfig.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.lastErrorLine())
        .startsWith(
            "error: cannot list WasmPlugins in higress-system from http://127.0.0.1:" + port);
    assertThat(run.hasStackTrace()).isFalse();
  }
}

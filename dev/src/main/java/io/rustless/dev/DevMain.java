package io.rustless.dev;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./rustless dev}: the whole lifecycle in one process ({@link DevEnvironment}), then the
 * demo ({@link Demo}); with {@code --keep} it stays up for kubectl and curl until Ctrl-C.
 */
@Command(
    name = "rustless dev",
    mixinStandardHelpOptions = true,
    versionProvider = DevMain.Version.class,
    header =
        "The whole lifecycle on this machine: Kubernetes API, operator, build Jobs, registry"
            + " and gateway in one process.",
    description = {
      "Starts an embedded Kubernetes API (with the Rustless CRDs and Higress's WasmPlugin CRD; a"
          + " kubeconfig for kubectl), the operator, a Job runner for its build Jobs (podman with"
          + " the builder image when it can run it, else local processes running the image's"
          + " `rustless publish` command line), a registry and the gateway, then runs the demo:"
          + " examples/say-hello.yaml applied, built, pushed, served, reconfigured, refused and"
          + " deleted. Exits 0 when the demo has shown all of it.",
      "With --keep it stays up after the demo: `kubectl --kubeconfig <printed path> apply -f …`"
          + " and `curl` the printed gateway address; Ctrl-C stops every part."
    })
public final class DevMain implements Callable<Integer> {

  @Option(names = "--keep", description = "Stay up after the demo (Ctrl-C stops).")
  boolean keep;

  @Option(
      names = "--no-demo",
      description = "Skip the demo (with --keep: start the parts and wait).")
  boolean noDemo;

  @Option(
      names = "--registry",
      paramLabel = "<host:port>",
      description =
          "A registry to push to and pull from over plain HTTP (e.g. Debian's docker-registry)"
              + " instead of the embedded one.")
  String registry;

  @Option(
      names = "--jobs",
      paramLabel = "<auto|podman|process>",
      description =
          "How build Jobs run: podman with the builder image, local processes, or auto (podman"
              + " when it can run the image; default).")
  String jobs = "auto";

  @Option(
      names = "--builder-image",
      paramLabel = "<image>",
      description = "The builder image (default: what docker/build-images.sh tags).")
  String builderImage;

  @Option(
      names = "--listen",
      paramLabel = "<host:port>",
      description = "The gateway's address (default 127.0.0.1:8080 with --keep, else a free port).")
  String listen;

  @Option(
      names = "--api-port",
      paramLabel = "<port>",
      description = "The Kubernetes API's port on 127.0.0.1 (default: a free one).")
  int apiPort;

  @Option(
      names = "--dir",
      paramLabel = "<dir>",
      description =
          "Where the kubeconfig, the log and the demo's files go (default target/rustless-dev in"
              + " the checkout).")
  Path dir;

  @Option(
      names = "--build-timeout",
      paramLabel = "<seconds>",
      description = "How long the demo waits for the build (default 600).")
  int buildTimeout = 600;

  private final PrintStream out;
  private final Optional<DevGateway.Starter> gatewayStarter;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile DevEnvironment running;

  DevMain(PrintStream out, Optional<DevGateway.Starter> gatewayStarter) {
    this.out = out;
    this.gatewayStarter = gatewayStarter;
  }

  public static void main(String[] args) {
    Path checkout = checkout();
    Path logFile = logFile(args, checkout);
    // Before the first logger: the parts' logs go to a file, the console shows the demo.
    System.setProperty("rustless.dev.log", logFile.toString());
    System.setProperty("logback.configurationFile", "rustless-dev-logback.xml");
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    int code =
        new CommandLine(new DevMain(out, Optional.of(Gateways.starter())))
            .setCaseInsensitiveEnumValuesAllowed(true)
            .execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() {
    Path checkout = checkout();
    Path stateDir = dir == null ? checkout.resolve("target/rustless-dev") : dir;
    DevEnvironment.Jobs mode;
    try {
      mode = DevEnvironment.Jobs.valueOf(jobs.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      out.println("error: --jobs must be auto, podman or process, not " + jobs);
      return 2;
    }
    Logger detail = LoggerFactory.getLogger("io.rustless.dev");
    out.println("==> rustless dev " + DevVersion.VERSION + ": starting the parts");
    long t = System.nanoTime();
    var b =
        DevEnvironment.builder(checkout)
            .dir(stateDir)
            .apiPort(apiPort)
            .registry(registry)
            .jobs(mode)
            .listen(listen != null ? listen : keep ? "127.0.0.1:8080" : "127.0.0.1:0")
            .progress(line -> out.println("   " + line))
            .detail(detail::info);
    gatewayStarter.ifPresent(b::gateway);
    if (builderImage != null) {
      b.builderImage(builderImage);
    }
    DevEnvironment env;
    try {
      env = b.start();
    } catch (RuntimeException e) {
      out.println("error: " + e.getMessage());
      detail.error("start failed", e);
      return 1;
    }
    running = env;
    Thread hook = new Thread(this::stop, "rustless-dev-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      printParts(env, stateDir, t);
      if (!noDemo) {
        new Demo(env, checkout, stateDir, out::println, Duration.ofSeconds(buildTimeout)).run();
      }
      if (keep) {
        printKeep(env, checkout);
        stopped.await();
        out.println("==> stopped: every part");
        return 0;
      }
      out.println("==> done: every part stopped");
      return 0;
    } catch (DevException e) {
      out.println("error: " + e.getMessage());
      out.println("   logs of every part: " + logFile(new String[0], checkout));
      detail.error("demo failed", e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook is running
      }
      stop();
    }
  }

  /** Stops every part (Ctrl-C's shutdown hook; tests of --keep); a --keep run then returns. */
  void stop() {
    DevEnvironment env = running;
    running = null;
    if (env != null) {
      env.close();
    }
    stopped.countDown();
  }

  private void printParts(DevEnvironment env, Path stateDir, long since) {
    out.println("   Kubernetes API  " + env.apiUrl() + "  (kubeconfig " + env.kubeconfig() + ")");
    out.println(
        "   operator        OperatorMain's wiring, leader election off; policy "
            + DevEnvironment.POLICY
            + " admits namespace "
            + DevEnvironment.NAMESPACE);
    out.println("   build Jobs      " + env.jobs());
    out.println(
        "   registry        "
            + env.registryHost()
            + (env.embeddedRegistry() ? "  (embedded)" : "  (--registry)"));
    env.gateway()
        .ifPresent(
            g ->
                out.println(
                    "   gateway         "
                        + g.url()
                        + "  (WasmPlugins of "
                        + DevEnvironment.GATEWAY_NAMESPACE
                        + "; other requests to the upstream "
                        + env.upstream()
                        + ")"));
    out.println(
        String.format(
            Locale.ROOT,
            "   started in %.1fs; logs of every part: %s",
            (System.nanoTime() - since) / 1e9,
            stateDir.resolve("rustless-dev.log")));
  }

  private void printKeep(DevEnvironment env, Path checkout) {
    out.println("==> up until Ctrl-C. Try:");
    out.println("   export KUBECONFIG=" + env.kubeconfig());
    out.println(
        "   kubectl apply -f "
            + (env.example().startsWith(checkout)
                ? checkout.relativize(env.example())
                : env.example())
            + "   # examples/say-hello.yaml for this registry");
    out.println("   kubectl get rwps -n " + DevEnvironment.NAMESPACE + " -w");
    env.gateway()
        .ifPresent(g -> out.println("   curl -H 'Host: " + Demo.HELLO + "' " + g.url() + "/"));
  }

  static Path checkout() {
    String repo = System.getenv("RUSTLESS_REPO");
    Path start = repo != null && !repo.isBlank() ? Path.of(repo) : Path.of("").toAbsolutePath();
    for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml"))
          && Files.isDirectory(p.resolve("crds"))
          && Files.isDirectory(p.resolve("extensions"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "not inside a Rustless checkout (run ./rustless dev from one, or set RUSTLESS_REPO)");
  }

  private static Path logFile(String[] args, Path checkout) {
    Path d = checkout.resolve("target/rustless-dev");
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--dir")) {
        d = Path.of(args[i + 1]).toAbsolutePath();
      }
    }
    try {
      Files.createDirectories(d);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return d.resolve("rustless-dev.log");
  }

  /** The version for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"rustless dev " + DevVersion.VERSION};
    }
  }
}

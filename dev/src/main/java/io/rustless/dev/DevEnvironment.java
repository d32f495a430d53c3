package io.rustless.dev;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rustless.cli.registry.OciRegistry;
import io.rustless.dev.kube.EmbeddedKubeApi;
import io.rustless.kubelet.JobRunner;
import io.rustless.kubelet.Podman;
import io.rustless.operator.OperatorConfig;
import io.rustless.operator.OperatorMain;
import io.rustless.operator.policy.RustlessPolicy;
import io.rustless.operator.policy.RustlessPolicySpec;
import io.rustless.operator.validation.Catalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The control plane of {@code rustless dev} in one JVM, each part the code users run in a cluster:
 * the embedded Kubernetes API (fabric8's mock server in CRUD mode, with our CRDs and Higress's
 * WasmPlugin CRD, for kubectl through the kubeconfig it writes), the operator as {@link
 * OperatorMain} wires it (leader election off), the build Jobs run by a {@link JobRunner} (podman
 * with the builder image, else local processes running the image's {@code rustless} command line),
 * a registry (the embedded one, or one given) and the gateway following the API. Closing it stops
 * every part, last started first.
 */
public final class DevEnvironment implements AutoCloseable {

  /** The namespace the demo's sources live in, which the dev policy admits. */
  public static final String NAMESPACE = "default";

  /** The gateway's controller namespace: where the operator writes WasmPlugins. */
  public static final String GATEWAY_NAMESPACE = "higress-system";

  /** The RustlessPolicy {@code rustless dev} applies. */
  public static final String POLICY = "rustless-dev";

  /** How build Jobs run. */
  public enum Jobs {
    /** podman when it can run the builder image here, else local processes. */
    AUTO,
    PODMAN,
    PROCESS
  }

  private final Builder settings;
  private final List<AutoCloseable> parts = new ArrayList<>();
  private EmbeddedKubeApi api;
  private OciRegistry embeddedRegistry;
  private String registryHost;
  private JobRunner runner;
  private String jobsWhy;
  private Operator operator;
  private KubernetesClient operatorClient;
  private OperatorConfig operatorConfig;
  private Upstream upstream;
  private DevGateway gateway;

  private DevEnvironment(Builder b) {
    this.settings = b;
  }

  public static Builder builder(Path checkout) {
    return new Builder(checkout);
  }

  private DevEnvironment start() throws IOException {
    Path dir = Files.createDirectories(settings.dir);
    try {
      Path crds = settings.checkout.resolve("crds");
      api =
          EmbeddedKubeApi.builder()
              .port(settings.apiPort)
              .crd(crds.resolve("rustlesswasmpluginsources.rustless.io-v1.yml"))
              .crd(crds.resolve("rustlesspolicies.rustless.io-v1.yml"))
              .crd(crds.resolve("wasmplugins.extensions.higress.io.yaml"))
              .namespaces(NAMESPACE, GATEWAY_NAMESPACE)
              .kubeconfig(dir.resolve("kubeconfig"))
              .log(settings.detail)
              .start();
      parts.add(api);

      if (settings.registry == null) {
        embeddedRegistry =
            OciRegistry.builder()
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .accessLog(settings.detail)
                .start();
        parts.add(embeddedRegistry);
        registryHost = embeddedRegistry.host();
      } else {
        registryHost = settings.registry;
        checkRegistry(registryHost);
      }

      applyPolicy();
      writeExample(dir);

      var ran = jobRunner(dir);
      runner = ran;
      parts.add(runner);

      operatorConfig =
          OperatorConfig.fromEnvironment(
              Map.of(
                  "RUSTLESS_BUILDER_IMAGE",
                  settings.builderImage,
                  "RUSTLESS_PLAIN_HTTP_REGISTRIES",
                  registryHost,
                  "RUSTLESS_LEADER_ELECTION",
                  "false",
                  "RUSTLESS_DEFAULT_WASMPLUGIN_NAMESPACE",
                  GATEWAY_NAMESPACE,
                  "RUSTLESS_WASMPLUGIN_NAMESPACES",
                  GATEWAY_NAMESPACE,
                  "RUSTLESS_BUILD_RETRY_BASE",
                  "PT5S",
                  "RUSTLESS_METRICS_PORT",
                  "0",
                  "RUSTLESS_HEALTH_PORT",
                  "0"));
      startOperator();

      upstream = Upstream.start();
      parts.add(upstream);
      if (settings.gateway != null) {
        try {
          gateway =
              settings.gateway.start(
                  new DevGateway.Settings(
                      dir.resolve("kubeconfig"),
                      GATEWAY_NAMESPACE,
                      settings.listen,
                      upstream.url(),
                      registryHost,
                      settings.detail));
        } catch (RuntimeException e) {
          throw new DevException(
              "the gateway cannot start on "
                  + settings.listen
                  + " ("
                  + e.getMessage()
                  + "); --listen picks another address",
              e);
        }
        parts.add(gateway);
      }
      return this;
    } catch (RuntimeException | IOException e) {
      close();
      throw e;
    }
  }

  /** A registry given with --registry must answer the distribution API's base URL. */
  private static void checkRegistry(String hostPort) {
    URI base;
    try {
      base = URI.create("http://" + hostPort + "/v2/");
      if (base.getHost() == null || base.getPort() < 0) {
        throw new IllegalArgumentException("no host:port");
      }
    } catch (IllegalArgumentException e) {
      throw new DevException("--registry wants host:port (e.g. 127.0.0.1:5000), not " + hostPort);
    }
    try {
      int status =
          java.net.http.HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  java.net.http.HttpRequest.newBuilder(base)
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding())
              .statusCode();
      // 401: a registry that wants credentials (the push secret gives them)
      if (status != 200 && status != 401) {
        throw new DevException(
            "--registry "
                + hostPort
                + " answered "
                + base
                + " with HTTP "
                + status
                + ", not as an OCI registry");
      }
    } catch (IOException e) {
      throw new DevException(
          "--registry " + hostPort + " does not answer over plain HTTP (" + e + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevException("interrupted while checking --registry " + hostPort);
    }
  }

  private void applyPolicy() {
    var policy = new RustlessPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(POLICY).build());
    // The demo's namespace, its example domains and services; global plugins allowed so a
    // defaultConfig can be tried (a cluster grants that only where it is meant).
    policy.setSpec(
        new RustlessPolicySpec(
            List.of(NAMESPACE),
            List.of("*.example.com"),
            List.of("*." + NAMESPACE + ".svc.cluster.local"),
            true));
    api.client().resource(policy).create();
  }

  /** examples/say-hello.yaml with this registry in place of registry.example.com. */
  private void writeExample(Path dir) throws IOException {
    String yaml =
        Files.readString(settings.checkout.resolve("examples/say-hello.yaml"))
            .replace("registry.example.com", registryHost);
    Files.writeString(
        Files.createDirectories(dir.resolve("examples")).resolve("say-hello.yaml"), yaml);
  }

  /** {@code examples/say-hello.yaml} for this registry (written at start). */
  public Path example() {
    return settings.dir.resolve("examples/say-hello.yaml");
  }

  private JobRunner jobRunner(Path dir) {
    Jobs mode = settings.jobs;
    Optional<Podman> podman = Optional.empty();
    if (mode != Jobs.PROCESS) {
      podman = Podman.find();
      podman.ifPresent(
          p -> settings.progress.accept("checking that podman runs " + settings.builderImage));
      Optional<String> problem =
          podman.isEmpty()
              ? Optional.of("podman is not installed")
              : canRun(podman.get(), settings.builderImage);
      if (problem.isPresent()) {
        if (mode == Jobs.PODMAN) {
          throw new DevException("--jobs podman: " + problem.get());
        }
        podman = Optional.empty();
        jobsWhy = problem.get();
      }
    }
    JobRunner.Builder b;
    if (podman.isPresent()) {
      b = JobRunner.builder(api.client(), podman.get());
      jobsWhy = "podman runs " + settings.builderImage;
    } else {
      b =
          JobRunner.builder(
              api.client(),
              BuilderImageCopy.prepare(
                  settings.builderImage, settings.checkout, dir.resolve("builder-image")));
      jobsWhy =
          (jobsWhy == null ? "" : jobsWhy + ": ")
              + "local processes run the image's rustless command line";
    }
    return b.log(settings.detail).start();
  }

  /** Why podman cannot run {@code image} here, if it cannot. */
  private static Optional<String> canRun(Podman podman, String image) {
    if (!podman.imageExists(image)) {
      return Optional.of(
          "the image " + image + " is not in podman's storage (docker/build-images.sh builds it)");
    }
    var args = new ArrayList<String>(List.of("run", "--rm"));
    args.addAll(podman.runOptions());
    args.addAll(List.of("--network", "host", "--entrypoint", "[\"true\"]", image));
    Podman.Result r = podman.exec(args, Duration.ofMinutes(2));
    return r.ok() ? Optional.empty() : Optional.of("podman cannot run " + image + " here: " + r);
  }

  private void startOperator() {
    operatorClient = new KubernetesClientBuilder().withConfig(api.config()).build();
    operator =
        OperatorMain.create(
            operatorClient,
            operatorConfig,
            Catalogue.classpath(),
            Clock.systemUTC(),
            new SimpleMeterRegistry(),
            true);
    operator.start();
  }

  /** Stops the operator and starts a new one (a pod restart); builds in flight keep running. */
  public void restartOperator() {
    operator.stop();
    startOperator();
  }

  public KubernetesClient client() {
    return api.client();
  }

  public Path kubeconfig() {
    return settings.dir.resolve("kubeconfig");
  }

  public URI apiUrl() {
    return api.url();
  }

  /** The registry's host:port, e.g. {@code 127.0.0.1:41234}. */
  public String registryHost() {
    return registryHost;
  }

  public boolean embeddedRegistry() {
    return embeddedRegistry != null;
  }

  public JobRunner jobRunner() {
    return runner;
  }

  /** How the build Jobs run and why. */
  public String jobs() {
    return jobsWhy;
  }

  public Optional<DevGateway> gateway() {
    return Optional.ofNullable(gateway);
  }

  public URI upstream() {
    return upstream.url();
  }

  public String builderImage() {
    return settings.builderImage;
  }

  @Override
  public void close() {
    if (operator != null) {
      try {
        operator.stop();
      } catch (RuntimeException e) {
        settings.detail.accept("operator stop: " + e);
      }
      operator = null;
    }
    for (int i = parts.size() - 1; i >= 0; i--) {
      try {
        parts.get(i).close();
      } catch (Exception e) {
        settings.detail.accept("stop: " + e);
      }
    }
    parts.clear();
  }

  /** Options of a {@link DevEnvironment}. */
  public static final class Builder {
    private final Path checkout;
    private Path dir;
    private int apiPort;
    private String registry;
    private String builderImage = "localhost/rustless/builder:" + DevVersion.VERSION;
    private Jobs jobs = Jobs.AUTO;
    private String listen = "127.0.0.1:0";
    private DevGateway.Starter gateway;
    private Consumer<String> progress = line -> {};
    private Consumer<String> detail = line -> {};

    private Builder(Path checkout) {
      this.checkout = Objects.requireNonNull(checkout).toAbsolutePath().normalize();
      this.dir = this.checkout.resolve("target/rustless-dev");
    }

    /** Where the kubeconfig, the logs and the stand-in builder image go. */
    public Builder dir(Path v) {
      dir = v.toAbsolutePath().normalize();
      return this;
    }

    /** The API's port on 127.0.0.1 (0: a free one). */
    public Builder apiPort(int v) {
      apiPort = v;
      return this;
    }

    /** A registry (host:port, plain HTTP) instead of the embedded one. */
    public Builder registry(String hostPort) {
      registry = hostPort;
      return this;
    }

    public Builder builderImage(String v) {
      builderImage = v;
      return this;
    }

    public Builder jobs(Jobs v) {
      jobs = v;
      return this;
    }

    /** The gateway's host:port (port 0: a free one). */
    public Builder listen(String v) {
      listen = v;
      return this;
    }

    public Builder gateway(DevGateway.Starter v) {
      gateway = v;
      return this;
    }

    /** One line per part started. */
    public Builder progress(Consumer<String> v) {
      progress = v;
      return this;
    }

    /** Everything else: API requests, registry access, Job runner, gateway events. */
    public Builder detail(Consumer<String> v) {
      detail = v;
      return this;
    }

    public DevEnvironment start() {
      try {
        return new DevEnvironment(this).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

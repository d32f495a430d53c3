package io.rustless.cli.command;

import io.rustless.cli.Console;
import io.rustless.cli.RustlessCli;
import io.rustless.cli.ToolException;
import io.rustless.cli.UsageException;
import io.rustless.cli.gateway.Gateway;
import io.rustless.cli.gateway.ServiceMap;
import io.rustless.cli.gateway.higress.ChainOrder;
import io.rustless.cli.gateway.higress.HigressController;
import io.rustless.cli.gateway.higress.IngressRoutes;
import io.rustless.cli.gateway.higress.PluginDeployment;
import io.rustless.cli.gateway.higress.Route;
import io.rustless.cli.gateway.resource.FileResourceSource;
import io.rustless.cli.gateway.resource.KubeObject;
import io.rustless.cli.gateway.resource.KubernetesResourceSource;
import io.rustless.cli.gateway.resource.ResourceSnapshot;
import io.rustless.cli.gateway.resource.ResourceSource;
import io.rustless.cli.serve.ClusterRoutes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rustless gateway --resources DIR … | --kubeconfig FILE …}. */
@Command(
    name = "gateway",
    header = "Run a local gateway that does what Higress does with WasmPlugins and Ingresses.",
    description = {
      "Serve HTTP as a Higress gateway would, from the resources Higress reads: WasmPlugin"
          + " (extensions.higress.io/v1alpha1), Ingress (networking.k8s.io/v1), Secret and Service"
          + " objects, from YAML files (--resources) or a Kubernetes API (--kubeconfig). Plugins"
          + " are fetched as Higress fetches them (oci://, http(s)://, file://), configured as its"
          + " controller configures them (defaultConfig, matchRules as _rules_), chained by phase"
          + " and priority, and see route_name and cluster_name as on Higress. Changes apply"
          + " without a restart; one that fails keeps the previous version and says why. Runs"
          + " until interrupted (Ctrl-C)."
    })
public final class GatewayCommand implements Runnable {
  @ParentCommand private RustlessCli cli;

  @Option(
      names = {"-r", "--resources"},
      paramLabel = "<path>",
      description =
          "A YAML file, or a directory of them (not its subdirectories), with WasmPlugin, Ingress,"
              + " Secret and Service objects; repeatable. Followed as the files change.")
  private List<Path> resources = new ArrayList<>();

  @Option(
      names = "--kubeconfig",
      paramLabel = "<file>",
      description = "Read the same objects from this cluster instead, and follow its changes.")
  private Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "<name>",
      description = "The kubeconfig context (default: its current context).")
  private String context;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "<ns>",
      defaultValue = "higress-system",
      description =
          "The controller namespace: only WasmPlugins (and their pull Secrets) there are used"
              + " (default: ${DEFAULT-VALUE}).")
  private String namespace;

  @Option(
      names = "--watch-namespace",
      paramLabel = "<ns>",
      description = "Only Ingresses and Services of this namespace (default: every namespace).")
  private String watchNamespace;

  @Option(
      names = "--ingress-class",
      paramLabel = "<class>",
      defaultValue = "higress",
      description =
          "The Ingress class served, as Higress's --ingressClass (default: ${DEFAULT-VALUE}; \"\""
              + " serves every Ingress).")
  private String ingressClass;

  @Mixin private ListenOptions listen;

  @Option(
      names = {"-u", "--upstream"},
      paramLabel = "<url>",
      description =
          "Where requests go that no Ingress routes, and routed requests whose service has no"
              + " --service address, e.g. http://127.0.0.1:8080.")
  private String upstream;

  @Option(
      names = "--service",
      paramLabel = "<name=url>",
      description =
          "The local address of an Ingress backend, e.g."
              + " 'backend.default.svc.cluster.local:80=http://127.0.0.1:8081' or"
              + " 'backend:80=http://127.0.0.1:8081'; repeatable.")
  private List<String> services = new ArrayList<>();

  @Option(
      names = "--cluster",
      paramLabel = "<name=url>",
      description =
          "Route plugins' own calls to a cluster: HTTP calls to an http:// url, Redis calls to a"
              + " redis:// one, e.g. 'outbound|80||llm.dns=http://127.0.0.1:8081'.")
  private List<String> clusters = new ArrayList<>();

  @Option(
      names = "--workers",
      paramLabel = "<n>",
      defaultValue = "2",
      description =
          "Envoy's worker threads: one VM per plugin per worker (default: ${DEFAULT-VALUE}).")
  private int workers;

  @Option(
      names = "--poll-interval",
      paramLabel = "<ms>",
      defaultValue = "500",
      description =
          "How often --resources files are checked for changes (default: ${DEFAULT-VALUE}).")
  private long pollMillis;

  @Option(
      names = "--print-config",
      description =
          "Print what Higress would make of the resources (each WasmPlugin's configuration as its"
              + " plugin receives it, the routes, the chain) and exit, without fetching or serving;"
              + " exit code 2 if any resource is refused.")
  private boolean printConfig;

  @Mixin private RegistryOptions registry;

  @Override
  public void run() {
    Console console = cli.console();
    ResourceSource source = source(console);
    if (printConfig) {
      printConfig(console, source);
      return;
    }
    URI upstreamUri = upstream == null ? null : ServiceMap.upstream(upstream, "--upstream");
    Gateway.Builder b =
        Gateway.builder()
            .resources(source)
            .listen(listen.address())
            .upstream(upstreamUri)
            .services(ServiceMap.parse(services))
            .clusters(ClusterRoutes.parse(clusters))
            .workers(workers)
            .namespace(namespace)
            .ingressClass(ingressClass)
            .watchNamespace(watchNamespace)
            .registryAccess(registry.access(System.in))
            .log(line -> console.err().println(line))
            .accessLog(line -> console.err().println(line))
            .fetchProgress(console::debug);
    console.step("Reading " + source.describe());
    Gateway gateway = b.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  stopped.countDown();
                },
                "rustless-gateway-stop"));
    console.step(
        "Gateway on "
            + gateway.url()
            + (upstreamUri == null ? "" : ", unrouted requests to " + upstreamUri)
            + "; Ctrl-C stops");
    console.result(gateway.url());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      gateway.close();
    }
  }

  private void printConfig(Console console, ResourceSource source) {
    java.util.concurrent.atomic.AtomicReference<ResourceSnapshot> first =
        new java.util.concurrent.atomic.AtomicReference<>();
    try (source) {
      source.start(s -> first.compareAndSet(null, s));
    }
    ResourceSnapshot snapshot = first.get();
    List<String> refused = new ArrayList<>(snapshot.problems());
    List<PluginDeployment> deployed = new ArrayList<>();
    for (KubeObject o : snapshot.wasmPlugins()) {
      try {
        HigressController.Translation t = HigressController.translate(o, namespace);
        if (t instanceof HigressController.Deployed d) {
          deployed.add(d.deployment());
        } else if (t instanceof HigressController.Disabled) {
          console.result(
              o.describe() + ": no plugin (defaultConfigDisable and no match rule left)");
        } else if (t instanceof HigressController.Ignored i) {
          console.result(o.describe() + ": ignored: " + i.why());
        }
      } catch (ToolException e) {
        refused.add(e.getMessage());
      }
    }
    for (PluginDeployment d : ChainOrder.order(deployed)) {
      console.result(
          "WasmPlugin "
              + d.key()
              + " ("
              + d.phase()
              + d.priority().map(p -> ", priority " + p).orElse("")
              + ", "
              + d.failStrategy()
              + ")");
      console.result("  url            " + d.url());
      console.result(
          "  configuration  " + (d.configuration().isEmpty() ? "(none)" : d.configuration()));
      for (String note : d.notes()) {
        console.result("  note           " + note);
      }
    }
    IngressRoutes.Result routes =
        IngressRoutes.build(
            snapshot.ingresses(),
            snapshot.services(),
            new IngressRoutes.Options(
                namespace,
                ingressClass,
                watchNamespace == null ? "" : watchNamespace,
                "cluster.local"));
    for (Route r : routes.table().routes()) {
      console.result("route " + r.name() + ": " + r.describe());
    }
    for (String p : routes.problems()) {
      console.warn(p);
    }
    console.result(
        "chain: "
            + (deployed.isEmpty()
                ? "no plugins"
                : String.join(
                    " -> ",
                    ChainOrder.order(deployed).stream().map(PluginDeployment::name).toList())));
    if (!refused.isEmpty()) {
      for (String r : refused) {
        console.err().println("error: " + r);
      }
      throw new ToolException(
          io.rustless.cli.ExitCode.USAGE,
          refused.size() + (refused.size() == 1 ? " resource is" : " resources are") + " refused");
    }
  }

  private ResourceSource source(Console console) {
    if (kubeconfig != null && !resources.isEmpty()) {
      throw new UsageException("give --resources or --kubeconfig, not both");
    }
    if (kubeconfig != null) {
      return KubernetesResourceSource.builder()
          .kubeconfig(kubeconfig, context)
          .namespace(namespace)
          .watchNamespace(watchNamespace)
          .log(line -> console.err().println(line))
          .build();
    }
    if (resources.isEmpty()) {
      throw new UsageException(
          "give --resources <dir or file> (WasmPlugin and Ingress YAML) or --kubeconfig <file>");
    }
    if (context != null) {
      throw new UsageException("--context goes with --kubeconfig");
    }
    if (pollMillis < 50) {
      throw new UsageException("--poll-interval must be at least 50 ms");
    }
    return new FileResourceSource(resources, Duration.ofMillis(pollMillis));
  }
}

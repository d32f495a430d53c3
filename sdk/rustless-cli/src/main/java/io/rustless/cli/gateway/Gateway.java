package io.rustless.cli.gateway;

import io.rustless.cli.gateway.fetch.ModuleFetcher;
import io.rustless.cli.gateway.higress.IngressRoutes;
import io.rustless.cli.gateway.http.GatewayServer;
import io.rustless.cli.gateway.resource.ResourceSource;
import io.rustless.cli.oci.RegistryAccess;
import io.rustless.cli.serve.ClusterRoutes;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A Higress-faithful gateway driven by WasmPlugin, Ingress and Secret resources, startable in
 * process: {@code rustless gateway} is this with options, and an embedder (a dev environment, a
 * test) builds one with its own {@link ResourceSource}.
 *
 * <pre>{@code
 * try (Gateway g = Gateway.builder()
 *         .resources(new FileResourceSource(List.of(dir), Duration.ofSeconds(1)))
 *         .listen(new InetSocketAddress("127.0.0.1", 0))
 *         .upstream(URI.create("http://127.0.0.1:8080"))
 *         .registryAccess(RegistryAccess.builder().plainHttp(true).build())
 *         .start()) {
 *   // g.url() serves; changes to dir apply as they are saved
 * }
 * }</pre>
 *
 * {@link #start()} returns once the first snapshot of the resources is applied: the modules are
 * fetched and loaded, or reported as failed.
 */
public final class Gateway implements AutoCloseable {
  private final ResourceSource resources;
  private final ControlPlane<GatewayPlugin> control;
  private final GatewayServer server;

  private Gateway(
      ResourceSource resources, ControlPlane<GatewayPlugin> control, GatewayServer server) {
    this.resources = resources;
    this.control = control;
    this.server = server;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://host:port}. */
  public String url() {
    return server.url();
  }

  public InetSocketAddress address() {
    return server.address();
  }

  /** What requests get now. */
  public GatewayConfig<GatewayPlugin> config() {
    return control.current();
  }

  /** Each WasmPlugin's state after the last applied change. */
  public List<ControlPlane.PluginStatus> plugins() {
    return control.statuses();
  }

  /**
   * Waits until every resource change seen so far is applied (a file edit is seen within the poll
   * interval; an API change within the quiet period).
   */
  public boolean awaitGeneration(long generation, Duration timeout) throws InterruptedException {
    return control.awaitApplied(generation, timeout);
  }

  /** Requests being served now. */
  public int inFlight() {
    return server.inFlight();
  }

  /** Stops the resources, the listener and every plugin. */
  @Override
  public void close() {
    resources.close();
    server.close();
    control.close();
  }

  /** Configures and starts a {@link Gateway}. */
  public static final class Builder {
    private ResourceSource resources;
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    private URI upstream;
    private ServiceMap services = ServiceMap.none();
    private ClusterRoutes clusters = ClusterRoutes.none();
    private int workers = 2;
    private String namespace = "higress-system";
    private String ingressClass = IngressRoutes.DEFAULT_INGRESS_CLASS;
    private String watchNamespace = "";
    private RegistryAccess registryAccess = RegistryAccess.builder().build();
    private Consumer<String> log = line -> {};
    private Consumer<String> accessLog = line -> {};
    private Consumer<String> fetchProgress = line -> {};
    private Duration retryInterval = Duration.ofSeconds(10);
    private PluginLoader<GatewayPlugin> loader;

    private Builder() {}

    /** Where WasmPlugins, Ingresses, Secrets and Services come from (required). */
    public Builder resources(ResourceSource source) {
      this.resources = Objects.requireNonNull(source);
      return this;
    }

    /** Where to listen ({@code 127.0.0.1:0}, the default, picks a free port). */
    public Builder listen(InetSocketAddress address) {
      this.listen = Objects.requireNonNull(address);
      return this;
    }

    /** Where requests go that no Ingress routes, and routed ones whose service has no address. */
    public Builder upstream(URI uri) {
      this.upstream = uri;
      return this;
    }

    /** Local addresses of Ingress backends ({@code --service}). */
    public Builder services(ServiceMap map) {
      this.services = Objects.requireNonNull(map);
      return this;
    }

    /** Where plugins' own HTTP and Redis calls go ({@code --cluster}). */
    public Builder clusters(ClusterRoutes routes) {
      this.clusters = Objects.requireNonNull(routes);
      return this;
    }

    /** Envoy's worker threads: one VM per plugin per worker. */
    public Builder workers(int n) {
      this.workers = n;
      return this;
    }

    /** The controller namespace ({@code higress-system}). */
    public Builder namespace(String ns) {
      this.namespace = Objects.requireNonNull(ns);
      return this;
    }

    /** The Ingress class served ({@code higress}; empty: every Ingress). */
    public Builder ingressClass(String cls) {
      this.ingressClass = Objects.requireNonNull(cls);
      return this;
    }

    /** Only Ingresses of this namespace; empty for all. */
    public Builder watchNamespace(String ns) {
      this.watchNamespace = ns == null ? "" : ns;
      return this;
    }

    /** The gateway's own registry access: scheme and credentials ({@code --plain-http}…). */
    public Builder registryAccess(RegistryAccess access) {
      this.registryAccess = Objects.requireNonNull(access);
      return this;
    }

    /** Configuration changes, problems and plugins' log lines. */
    public Builder log(Consumer<String> sink) {
      this.log = Objects.requireNonNull(sink);
      return this;
    }

    /** One line per request. */
    public Builder accessLog(Consumer<String> sink) {
      this.accessLog = Objects.requireNonNull(sink);
      return this;
    }

    /** Each step of a module pull, as {@code rustless verify} prints them (none by default). */
    public Builder fetchProgress(Consumer<String> sink) {
      this.fetchProgress = Objects.requireNonNull(sink);
      return this;
    }

    /** How often a module that could not be fetched or loaded is tried again (10 s). */
    public Builder retryInterval(Duration d) {
      this.retryInterval = Objects.requireNonNull(d);
      return this;
    }

    /** Another plugin runtime (tests). */
    Builder loader(PluginLoader<GatewayPlugin> l) {
      this.loader = l;
      return this;
    }

    /**
     * Starts: reads the resources, applies them, then listens. A {@link
     * io.rustless.cli.ToolException} if the resources cannot be read at all or the address cannot
     * be used; problems with single resources are logged and the gateway starts anyway.
     */
    public Gateway start() {
      Objects.requireNonNull(resources, "resources");
      ModuleFetcher fetcher =
          ModuleFetcher.builder()
              .registryAccess(registryAccess)
              .progress(line -> fetchProgress.accept(line.strip()))
              .build();
      PluginLoader<GatewayPlugin> l =
          loader != null ? loader : new HostLoader(clusters, workers, log);
      ControlPlane<GatewayPlugin> control =
          new ControlPlane<>(
              namespace,
              new IngressRoutes.Options(namespace, ingressClass, watchNamespace, "cluster.local"),
              fetcher,
              l,
              log,
              retryInterval);
      GatewayServer server;
      try {
        long[] first = new long[1];
        resources.start(
            snapshot -> {
              long g = control.submit(snapshot);
              if (first[0] == 0) {
                first[0] = g;
              }
            });
        control.awaitApplied(first[0], Duration.ofMinutes(5));
        server =
            GatewayServer.builder()
                .listen(listen)
                .config(control::current)
                .defaultUpstream(upstream)
                .services(services)
                .workers(workers)
                .accessLog(accessLog)
                .start();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        resources.close();
        control.close();
        throw new IllegalStateException("interrupted while starting", e);
      } catch (RuntimeException e) {
        resources.close();
        control.close();
        throw e;
      }
      return new Gateway(resources, control, server);
    }
  }
}

package io.rustless.cli.gateway.resource;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Resources from a Kubernetes API, followed with informers (list, then watch, re-listing after a
 * lost watch), as Higress's controller follows them: WasmPlugins and Secrets in the controller's
 * namespace, Ingresses and Services in every namespace (or one, as Higress's {@code
 * --watchNamespace}). Every kind is read as a generic object, so the gateway reads the same fields
 * from the API as from files.
 *
 * <p>Changes arriving together (an {@code kubectl apply} of several objects) are delivered as one
 * snapshot after a short quiet period.
 */
public final class KubernetesResourceSource implements ResourceSource {
  static final ResourceDefinitionContext WASM_PLUGINS =
      context("extensions.higress.io", "v1alpha1", "WasmPlugin", "wasmplugins");
  static final ResourceDefinitionContext INGRESSES =
      context("networking.k8s.io", "v1", "Ingress", "ingresses");
  static final ResourceDefinitionContext SECRETS = context("", "v1", "Secret", "secrets");
  static final ResourceDefinitionContext SERVICES = context("", "v1", "Service", "services");

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final String namespace;
  private final String watchNamespace;
  private final Duration quietPeriod;
  private final Duration startTimeout;
  private final Consumer<String> log;
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
  private ScheduledExecutorService events;
  private ScheduledFuture<?> pending;
  private Consumer<ResourceSnapshot> listener;
  private ResourceSnapshot last;
  private volatile boolean closed;

  private KubernetesResourceSource(Builder b) {
    this.client = b.client;
    this.ownsClient = b.ownsClient;
    this.namespace = b.namespace;
    this.watchNamespace = b.watchNamespace;
    this.quietPeriod = b.quietPeriod;
    this.startTimeout = b.startTimeout;
    this.log = b.log;
  }

  public static Builder builder() {
    return new Builder();
  }

  private static ResourceDefinitionContext context(
      String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  @Override
  public String describe() {
    return "Kubernetes API "
        + client.getMasterUrl()
        + " (WasmPlugins and Secrets in "
        + namespace
        + ", Ingresses and Services in "
        + (watchNamespace == null ? "all namespaces" : watchNamespace)
        + ")";
  }

  @Override
  public synchronized void start(Consumer<ResourceSnapshot> listener) {
    if (this.listener != null) {
      throw new IllegalStateException("already started");
    }
    this.listener = Objects.requireNonNull(listener);
    events =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rustless-gateway-kubernetes");
              t.setDaemon(true);
              return t;
            });
    try {
      probe();
      inform(WASM_PLUGINS, namespace);
      inform(SECRETS, namespace);
      inform(INGRESSES, watchNamespace);
      inform(SERVICES, watchNamespace);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    deliver();
  }

  /**
   * One plain list first: an API that cannot be reached, or refuses, is reported at once (an
   * informer would keep retrying until the start timeout).
   */
  private void probe() {
    try {
      client
          .genericKubernetesResources(WASM_PLUGINS)
          .inNamespace(namespace)
          .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
    } catch (KubernetesClientException e) {
      throw cannotList("WasmPlugins in " + namespace, WASM_PLUGINS, e);
    }
  }

  private void inform(ResourceDefinitionContext kind, String ns) {
    var resources = client.genericKubernetesResources(kind);
    SharedIndexInformer<GenericKubernetesResource> informer =
        ns == null
            ? resources.inAnyNamespace().runnableInformer(0)
            : resources.inNamespace(ns).runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(GenericKubernetesResource obj) {
            changed();
          }

          @Override
          public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            changed();
          }

          @Override
          public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            changed();
          }
        });
    informer.exceptionHandler(
        (started, t) -> {
          if (!closed) {
            log.accept(
                "warning: watching "
                    + kind.getPlural()
                    + " failed, retrying: "
                    + firstLine(String.valueOf(t.getMessage())));
          }
          return true;
        });
    informers.add(informer);
    String what = kind.getKind() + "s" + (ns == null ? " in all namespaces" : " in " + ns);
    try {
      informer.start().toCompletableFuture().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw cannotList(what, kind, e.getCause());
    } catch (TimeoutException e) {
      throw new ResourceException(
          "cannot list "
              + what
              + " from "
              + client.getMasterUrl()
              + ": no answer within "
              + startTimeout.toSeconds()
              + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ResourceException("interrupted while listing " + what, e);
    } catch (KubernetesClientException e) {
      throw cannotList(what, kind, e);
    }
  }

  private ResourceException cannotList(String what, ResourceDefinitionContext kind, Throwable t) {
    String detail = firstLine(String.valueOf(t == null ? "" : t.getMessage()));
    if (t instanceof KubernetesClientException k && k.getCode() == 404 && kind == WASM_PLUGINS) {
      detail = "the API has no extensions.higress.io/v1alpha1 WasmPlugin (is Higress installed?)";
    } else if (t instanceof KubernetesClientException k && k.getCode() == 403) {
      detail = "forbidden: the account may not list and watch them (" + detail + ")";
    }
    return new ResourceException(
        "cannot list " + what + " from " + client.getMasterUrl() + ": " + detail, t);
  }

  private synchronized void changed() {
    if (closed || events == null) {
      return;
    }
    if (pending != null) {
      pending.cancel(false);
    }
    pending = events.schedule(this::deliver, quietPeriod.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void deliver() {
    ResourceSnapshot snapshot;
    synchronized (this) {
      if (closed) {
        return;
      }
      List<KubeObject> objects = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      for (SharedIndexInformer<GenericKubernetesResource> i : informers) {
        for (GenericKubernetesResource r : i.getStore().list()) {
          try {
            objects.add(toObject(r));
          } catch (ResourceException e) {
            problems.add(e.getMessage());
          }
        }
      }
      snapshot = new ResourceSnapshot(objects, problems);
      if (snapshot.equals(last)) {
        return;
      }
      last = snapshot;
    }
    listener.accept(snapshot);
  }

  @SuppressWarnings("unchecked")
  private KubeObject toObject(GenericKubernetesResource r) {
    Map<String, Object> body = client.getKubernetesSerialization().convertValue(r, Map.class);
    String origin =
        "Kubernetes API ("
            + r.getKind()
            + " "
            + r.getMetadata().getNamespace()
            + "/"
            + r.getMetadata().getName()
            + ")";
    return KubeObject.of(YamlResources.normalise(body), origin);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (pending != null) {
        pending.cancel(false);
      }
    }
    for (SharedIndexInformer<GenericKubernetesResource> i : informers) {
      i.stop();
    }
    if (events != null) {
      events.shutdownNow();
    }
    if (ownsClient) {
      client.close();
    }
  }

  /** Configures a {@link KubernetesResourceSource}. */
  public static final class Builder {
    private KubernetesClient client;
    private boolean ownsClient;
    private String namespace = "higress-system";
    private String watchNamespace;
    private Duration quietPeriod = Duration.ofMillis(200);
    private Duration startTimeout = Duration.ofSeconds(30);
    private Consumer<String> log = line -> {};

    private Builder() {}

    /** An existing client (an embedder's); it is not closed with the source. */
    public Builder client(KubernetesClient existing) {
      this.client = Objects.requireNonNull(existing);
      this.ownsClient = false;
      return this;
    }

    /**
     * A client from a kubeconfig file and context ({@code null}: the file's current context); a
     * {@link ResourceException} if the file cannot be used.
     */
    public Builder kubeconfig(Path file, String contextName) {
      if (!Files.isRegularFile(file)) {
        throw new ResourceException("kubeconfig " + file + " does not exist");
      }
      Config config;
      try {
        config = Config.fromKubeconfig(contextName, file.toFile());
      } catch (RuntimeException e) {
        throw new ResourceException(
            "cannot use kubeconfig " + file + ": " + firstLine(String.valueOf(e.getMessage())), e);
      }
      if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
        throw new ResourceException("kubeconfig " + file + " names no server");
      }
      // A request is retried twice, not ten times: an API that cannot be reached at start is
      // reported in about a second. Watches still reconnect for as long as the gateway runs.
      config.setRequestRetryBackoffLimit(2);
      this.client = new KubernetesClientBuilder().withConfig(config).build();
      this.ownsClient = true;
      return this;
    }

    /** The controller namespace: WasmPlugins and their pull Secrets are read only there. */
    public Builder namespace(String ns) {
      this.namespace = requireName(ns, "namespace");
      return this;
    }

    /** Read Ingresses and Services only in {@code ns}; null (the default) for every namespace. */
    public Builder watchNamespace(String ns) {
      this.watchNamespace = ns == null ? null : requireName(ns, "watch namespace");
      return this;
    }

    /** How long to wait for more changes before delivering a snapshot. */
    public Builder quietPeriod(Duration d) {
      this.quietPeriod = Objects.requireNonNull(d);
      return this;
    }

    /** How long the first list of each kind may take. */
    public Builder startTimeout(Duration d) {
      this.startTimeout = Objects.requireNonNull(d);
      return this;
    }

    /** Where watch problems are reported. */
    public Builder log(Consumer<String> sink) {
      this.log = Objects.requireNonNull(sink);
      return this;
    }

    public KubernetesResourceSource build() {
      if (client == null) {
        throw new IllegalStateException("a client or a kubeconfig is required");
      }
      return new KubernetesResourceSource(this);
    }

    private static String requireName(String ns, String what) {
      if (ns == null || ns.isBlank()) {
        throw new ResourceException("the " + what + " is empty");
      }
      return ns;
    }
  }
}

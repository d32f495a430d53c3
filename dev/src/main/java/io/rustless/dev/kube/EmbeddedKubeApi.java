package io.rustless.dev.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A Kubernetes API in this JVM for {@code rustless dev}: fabric8's mock server in CRUD mode as the
 * store, with what kubectl and the operator need on top (API discovery, an OpenAPI document for
 * kubectl's validation, watches with resourceVersion semantics over chunked HTTP and websockets,
 * optimistic concurrency on status updates, Status error bodies). Plain HTTP on 127.0.0.1, no
 * authentication.
 *
 * <pre>{@code
 * try (EmbeddedKubeApi api = EmbeddedKubeApi.builder()
 *         .crd(Path.of("crds/rustlesswasmpluginsources.rustless.io-v1.yml"))
 *         .kubeconfig(Path.of("target/dev/kubeconfig"))
 *         .start()) {
 *   KubernetesClient client = api.client();   // kubectl --kubeconfig target/dev/kubeconfig get rwps
 * }
 * }</pre>
 *
 * <p>What still differs from a real API server is listed in dev/README.md.
 */
public final class EmbeddedKubeApi implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final WatchHub hub;
  private final KubernetesClient client;
  private final URI url;
  private final Optional<Path> kubeconfig;

  private EmbeddedKubeApi(
      Vertx vertx,
      HttpServer server,
      WatchHub hub,
      KubernetesClient client,
      URI url,
      Optional<Path> kubeconfig) {
    this.vertx = vertx;
    this.server = server;
    this.hub = hub;
    this.client = client;
    this.url = url;
    this.kubeconfig = kubeconfig;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI url() {
    return url;
  }

  public int port() {
    return url.getPort();
  }

  /** A client of this API for in-process use (closed with it). */
  public KubernetesClient client() {
    return client;
  }

  /** A client configuration for this API, e.g. for the operator's own client. */
  public Config config() {
    return clientConfig(url, "default");
  }

  /** The kubeconfig written at start, if one was asked for. */
  public Optional<Path> kubeconfig() {
    return kubeconfig;
  }

  /** Watches open now (tests, diagnostics). */
  public int openWatches() {
    return hub.open();
  }

  /** Ends every watch, stops serving and releases the port. */
  @Override
  public void close() {
    client.close();
    hub.closeAll();
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // stopping anyway
    }
  }

  private static Config clientConfig(URI url, String namespace) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url.toString())
        .withNamespace(namespace)
        .withRequestTimeout(30_000)
        .withConnectionTimeout(10_000)
        .build();
  }

  /** Configures an {@link EmbeddedKubeApi}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private final List<CustomResourceDefinition> crds = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>(List.of("default"));
    private Path kubeconfig;
    private String contextName = "rustless-dev";
    private int watchHistory = 10_000;
    private Consumer<String> log = line -> {};

    private Builder() {}

    /** The port on 127.0.0.1 (default 0: a free one). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is not 0 to 65535");
      }
      this.port = port;
      return this;
    }

    /** The address to listen on (default 127.0.0.1). Everything is served without auth. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** A CRD to install at start, from a YAML or JSON file. */
    public Builder crd(Path file) {
      try (InputStream in = Files.newInputStream(file)) {
        return crd(Serialization.unmarshal(in, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read CRD " + file, e);
      }
    }

    /** A CRD to install at start, from a classpath resource. */
    public Builder crdResource(String resource) {
      InputStream in = EmbeddedKubeApi.class.getClassLoader().getResourceAsStream(resource);
      if (in == null) {
        throw new IllegalArgumentException("no classpath resource " + resource);
      }
      try (in) {
        return crd(Serialization.unmarshal(in, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public Builder crd(CustomResourceDefinition crd) {
      if (crd == null || crd.getSpec() == null || crd.getSpec().getNames() == null) {
        throw new IllegalArgumentException(
            "not an apiextensions.k8s.io/v1 CustomResourceDefinition");
      }
      crds.add(crd);
      return this;
    }

    /** Namespaces to create at start (default: {@code default}). */
    public Builder namespaces(String... names) {
      namespaces.clear();
      namespaces.addAll(List.of(names));
      return this;
    }

    /** Where to write a kubeconfig for kubectl (its context is the current one). */
    public Builder kubeconfig(Path file) {
      this.kubeconfig = Objects.requireNonNull(file);
      return this;
    }

    /** The cluster, user and context name in the kubeconfig (default {@code rustless-dev}). */
    public Builder contextName(String name) {
      this.contextName = Objects.requireNonNull(name);
      return this;
    }

    /** Changes kept for watches that resume from a resourceVersion (default 10,000). */
    public Builder watchHistory(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("watchHistory must be at least 1");
      }
      this.watchHistory = events;
      return this;
    }

    /** Receives one line per request. */
    public Builder log(Consumer<String> log) {
      this.log = Objects.requireNonNull(log);
      return this;
    }

    /** Starts serving; throws {@link BindException} if the port is taken. */
    public EmbeddedKubeApi start() throws IOException {
      WatchHub hub = new WatchHub(watchHistory);
      KubeStore store = new KubeStore(hub);
      Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(16));
      Discovery discovery = new Discovery(store);
      HttpServer server;
      try {
        server =
            vertx
                .createHttpServer(
                    new HttpServerOptions()
                        .setHost(host)
                        .setPort(port)
                        .setTcpNoDelay(true)
                        .setMaxWebSocketMessageSize(64 * 1024 * 1024)
                        .setMaxFormAttributeSize(-1))
                .requestHandler(new KubeApiHandler(vertx, store, hub, discovery, log))
                .listen()
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        vertx.close();
        if (e.getCause() instanceof BindException b) {
          throw b;
        }
        throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getCause(), e);
      } catch (InterruptedException | TimeoutException e) {
        vertx.close();
        throw new IOException("cannot listen on " + host + ":" + port + ": " + e, e);
      }
      URI url =
          URI.create(
              "http://"
                  + (host.contains(":") ? "[" + host + "]" : host)
                  + ":"
                  + server.actualPort());
      discovery.serverAddress(url.getHost() + ":" + url.getPort());
      KubernetesClient client =
          new KubernetesClientBuilder().withConfig(clientConfig(url, "default")).build();
      EmbeddedKubeApi api =
          new EmbeddedKubeApi(vertx, server, hub, client, url, Optional.ofNullable(kubeconfig));
      try {
        for (String ns : namespaces) {
          client
              .namespaces()
              .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
              .create();
        }
        for (CustomResourceDefinition crd : crds) {
          client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
        if (kubeconfig != null) {
          writeKubeconfig(kubeconfig, url, contextName);
        }
      } catch (RuntimeException | IOException e) {
        api.close();
        throw e;
      }
      return api;
    }
  }

  /** Writes a kubeconfig for {@code url} (owner-only, replaced atomically). */
  static void writeKubeconfig(Path file, URI url, String name) throws IOException {
    String text =
        "# Written by rustless dev for its embedded Kubernetes API (plain HTTP, no credentials).\n"
            + "apiVersion: v1\n"
            + "kind: Config\n"
            + "clusters:\n"
            + "- name: "
            + name
            + "\n"
            + "  cluster:\n"
            + "    server: "
            + url
            + "\n"
            + "contexts:\n"
            + "- name: "
            + name
            + "\n"
            + "  context:\n"
            + "    cluster: "
            + name
            + "\n"
            + "    user: "
            + name
            + "\n"
            + "    namespace: default\n"
            + "current-context: "
            + name
            + "\n"
            + "users:\n"
            + "- name: "
            + name
            + "\n"
            + "  user: {}\n";
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".kubeconfig-", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}

package io.rustless.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rustless.operator.validation.Catalogue;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the operator image: configuration from the environment, then run until killed. */
public final class OperatorMain {

  private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws IOException {
    var config = OperatorConfig.fromEnvironment(System.getenv());
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    var client = new KubernetesClientBuilder().build();
    var operator = create(client, config, Catalogue.classpath(), Clock.systemUTC(), registry, true);
    var http = OperatorHttpServer.start(config, operator, registry);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping");
                  operator.stop();
                  http.close();
                },
                "shutdown"));
    operator.start();
    log.info(
        "started: builder image {}, SDK {}, WasmPlugin namespaces {}, watching {}, SSA {}, leader election {}",
        config.builderImage(),
        config.sdkVersion(),
        config.wasmPluginNamespaces(),
        config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces(),
        config.useServerSideApply(),
        config.leaderElection());
  }

  /**
   * The operator with its one controller registered, not started. Tests call this with the mock
   * server's client and {@code useServerSideApply=false}.
   *
   * @param closeClientOnStop false when the caller owns the client (tests)
   */
  public static Operator create(
      KubernetesClient client,
      OperatorConfig config,
      Catalogue catalogue,
      Clock clock,
      MeterRegistry registry,
      boolean closeClientOnStop) {
    // 1 while this replica leads (or when there is no election), 0 on a warm standby.
    var leading = new AtomicBoolean(!config.leaderElection());
    Gauge.builder("rustless.leader", leading, l -> l.get() ? 1 : 0)
        .description("1 while this replica reconciles (leads), 0 on a standby")
        .strongReference(true)
        .register(registry);
    var operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(closeClientOnStop)
                  .withUseSSAToPatchPrimaryResource(config.useServerSideApply())
                  .withSSABasedCreateUpdateMatchForDependentResources(config.useServerSideApply())
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                  .withStopOnInformerErrorDuringStartup(true);
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            config.leaseName())
                        .withLeaseNamespace(config.leaseNamespace())
                        .withExitOnStopLeading(config.exitOnLostLeadership())
                        .withLeaderCallbacks(
                            new LeaderCallbacks(
                                () -> leading.set(true),
                                () -> leading.set(false),
                                leader -> log.info("leader is {}", leader)))
                        .build());
              }
            });
    var reconciler = new RustlessWasmPluginSourceReconciler(config, catalogue, clock, registry);
    operator.register(
        reconciler,
        o -> {
          if (!config.watchNamespaces().isEmpty()) {
            o.settingNamespaces(config.watchNamespaces());
          }
        });
    return operator;
  }
}

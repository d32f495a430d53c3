package io.rustless.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
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
        "started: builder image {}, SDK {}, WasmPlugin namespaces {} (default {}), watching {},"
            + " at most {} builds at once, leader election {}",
        config.builderImage(),
        config.sdkVersion(),
        config.wasmPluginNamespaces(),
        config.defaultWasmPluginNamespace(),
        config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces(),
        config.maxConcurrentBuilds(),
        config.leaderElection());
  }

  /**
   * The operator with its one controller registered, not started: {@link RustlessOperator} with
   * these settings.
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
    return RustlessOperator.builder(client, config)
        .catalogue(catalogue)
        .clock(clock)
        .meterRegistry(registry)
        .closeClientOnStop(closeClientOnStop)
        .build();
  }
}

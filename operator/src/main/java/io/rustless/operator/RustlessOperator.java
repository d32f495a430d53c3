package io.rustless.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rustless.operator.git.GitRevisionResolver;
import io.rustless.operator.git.SmartHttpResolver;
import io.rustless.operator.validation.Catalogue;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as {@link OperatorMain} runs it, for anything that starts it in-process: the image's
 * main, the tests, an embedded {@code rustless dev} against a mock API server. Takes a client and
 * the settings; returns the JOSDK {@link Operator} with the controller registered, not started.
 *
 * <pre>{@code
 * Operator operator = RustlessOperator.builder(client, OperatorConfig.builder().build()).build();
 * operator.start();
 * }</pre>
 *
 * Status and dependents are written with plain creates and optimistic updates (no server-side
 * apply), the same requests in every setting, so what the tests exercise against the fabric8 mock
 * server is what a cluster receives.
 */
public final class RustlessOperator {

  private static final Logger log = LoggerFactory.getLogger(RustlessOperator.class);

  private RustlessOperator() {}

  public static Builder builder(KubernetesClient client, OperatorConfig config) {
    return new Builder(client, config);
  }

  /** Options; each has a production default. */
  public static final class Builder {
    private final KubernetesClient client;
    private final OperatorConfig config;
    private Catalogue catalogue;
    private Clock clock = Clock.systemUTC();
    private MeterRegistry registry;
    private boolean closeClientOnStop;
    private GitRevisionResolver gitResolver;

    private Builder(KubernetesClient client, OperatorConfig config) {
      this.client = Objects.requireNonNull(client);
      this.config = Objects.requireNonNull(config);
    }

    /** The extension schemas; default: those packed into the operator jar. */
    public Builder catalogue(Catalogue v) {
      catalogue = v;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    /** Where metrics go; default: a registry of its own (not exported). */
    public Builder meterRegistry(MeterRegistry v) {
      registry = v;
      return this;
    }

    /** Whether stopping the operator closes the client; default false (the caller owns it). */
    public Builder closeClientOnStop(boolean v) {
      closeClientOnStop = v;
      return this;
    }

    /** How branches and tags are resolved; default: git's smart HTTP protocol, 20 s timeout. */
    public Builder gitResolver(GitRevisionResolver v) {
      gitResolver = v;
      return this;
    }

    public Operator build() {
      var meters = registry != null ? registry : new SimpleMeterRegistry();
      var resolver =
          gitResolver != null ? gitResolver : new SmartHttpResolver(Duration.ofSeconds(20));
      // 1 while this replica leads (or when there is no election), 0 on a warm standby.
      var leading = new AtomicBoolean(!config.leaderElection());
      Gauge.builder("rustless.leader", leading, l -> l.get() ? 1 : 0)
          .description("1 while this replica reconciles (leads), 0 on a standby")
          .strongReference(true)
          .register(meters);
      var operator =
          new Operator(
              o -> {
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(closeClientOnStop)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(meters))
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
      var reconciler =
          new RustlessWasmPluginSourceReconciler(
              config,
              catalogue != null ? catalogue : Catalogue.classpath(),
              clock,
              meters,
              resolver);
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
}

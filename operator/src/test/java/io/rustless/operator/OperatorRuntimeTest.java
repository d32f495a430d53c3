package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rustless.operator.validation.Catalogue;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The production wiring: leader election, probes and Prometheus metrics. */
class OperatorRuntimeTest extends MockClusterTest {

  private static int freePort() throws IOException {
    try (var s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void leaderReconcilesAndServesProbesAndMetrics() throws Exception {
    int metricsPort = freePort();
    int healthPort = freePort();
    var cfg =
        config
            .leaderElection(true)
            .exitOnLostLeadership(false)
            .leaseName("rustless-operator")
            .leaseNamespace("ops")
            .metricsPort(metricsPort)
            .healthPort(healthPort)
            .build();
    // JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which the mock cannot
    // answer: reply with the chart's leader-election Role rules (create any; get/update the one).
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .withIncomplete(false)
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("create")
                .endResourceRule()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withResourceNames("rustless-operator")
                .withVerbs("get", "update", "patch")
                .endResourceRule()
                .endStatus()
                .build())
        .always();
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    operator =
        OperatorMain.create(
            client, cfg, Catalogue.directory(CATALOGUE), Clock.systemUTC(), registry, false);
    var http = OperatorHttpServer.start(cfg, operator, registry);
    try {
      operator.start();

      Lease lease =
          await()
              .atMost(EVENTUALLY)
              .until(
                  () -> client.leases().inNamespace("ops").withName("rustless-operator").get(),
                  l -> l != null && l.getSpec().getHolderIdentity() != null);
      assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();

      create(greeter("metered", Map.of("name", "Alice")));
      succeed(awaitJob("metered", 1), digest('a'));
      awaitSource("metered", ready());

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(healthPort, "/readyz").statusCode() == 200);
      assertThat(get(healthPort, "/healthz").statusCode()).isEqualTo(200);
      String metrics = get(metricsPort, "/metrics").body();
      assertThat(metrics)
          .contains("rustless_builds_started_total 1.0")
          .contains("rustless_builds_succeeded_total 1.0")
          .contains("rustless_leader 1.0")
          .contains("operator_sdk");
    } finally {
      http.close();
    }
  }
}

package io.rustless.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded API's own life: kubeconfig, port, CRDs given wrongly, and a clean stop. */
class EmbeddedKubeApiTest {
  @TempDir Path tmp;

  @Test
  void itWritesAnOwnerOnlyKubeconfigThatNamesItsAddress() throws Exception {
    Path kubeconfig = tmp.resolve("state/kubeconfig");
    try (EmbeddedKubeApi api = EmbeddedKubeApi.builder().kubeconfig(kubeconfig).start()) {
      String text = Files.readString(kubeconfig);
      assertThat(text)
          .contains("server: " + api.url())
          .contains("current-context: rustless-dev")
          .contains("namespace: default");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)))
          .isEqualTo("rw-------");
      assertThat(api.kubeconfig()).contains(kubeconfig);
      try (var parsed =
          new io.fabric8.kubernetes.client.KubernetesClientBuilder()
              .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(text))
              .build()) {
        assertThat(parsed.namespaces().withName("default").get()).isNotNull();
      }
    }
  }

  @Test
  void aTakenPortIsABindException() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> EmbeddedKubeApi.builder().port(taken.getLocalPort()).start())
          .isInstanceOf(BindException.class);
    }
  }

  @Test
  void aFileThatIsNotACrdIsRefusedBeforeStarting() throws Exception {
    Path notACrd = tmp.resolve("cm.yaml");
    Files.writeString(notACrd, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    assertThatThrownBy(() -> EmbeddedKubeApi.builder().crd(notACrd))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmbeddedKubeApi.builder().crd(tmp.resolve("missing.yaml")))
        .hasMessageContaining("missing.yaml");
  }

  @Test
  void closingEndsWatchesAndFreesThePort() throws Exception {
    EmbeddedKubeApi api = EmbeddedKubeApi.builder().start();
    int port = api.port();
    try (var other =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(api.config())
            .build()) {
      other
          .configMaps()
          .inAnyNamespace()
          .watch(
              new Watcher<io.fabric8.kubernetes.api.model.ConfigMap>() {
                @Override
                public void eventReceived(
                    Action action, io.fabric8.kubernetes.api.model.ConfigMap r) {}

                @Override
                public void onClose(WatcherException cause) {}

                @Override
                public boolean reconnecting() {
                  return false;
                }
              });
      api.client()
          .configMaps()
          .inNamespace("default")
          .resource(new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build())
          .create();
      await().atMost(Duration.ofSeconds(20)).until(() -> api.openWatches() == 1);
      api.close();
      assertThat(api.openWatches()).isZero();
      // nothing listens any more
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                      .isInstanceOf(java.net.ConnectException.class));
    }
  }
}

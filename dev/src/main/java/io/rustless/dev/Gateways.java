package io.rustless.dev;

import io.rustless.cli.gateway.Gateway;
import io.rustless.cli.gateway.resource.KubernetesResourceSource;
import io.rustless.cli.oci.RegistryAccess;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The gateway {@code rustless dev} starts: {@code rustless gateway --kubeconfig <dev's kubeconfig>
 * --namespace higress-system --upstream <dev's upstream> --plain-http}, in this JVM.
 */
final class Gateways {

  private Gateways() {}

  static DevGateway.Starter starter() {
    return settings -> {
      var resources =
          KubernetesResourceSource.builder()
              .kubeconfig(settings.kubeconfig(), null)
              .namespace(settings.namespace())
              .log(settings.log())
              .build();
      Gateway gateway =
          Gateway.builder()
              .resources(resources)
              .listen(address(settings.listen()))
              .upstream(settings.upstream())
              .namespace(settings.namespace())
              .registryAccess(RegistryAccess.builder().plainHttp(true).build())
              .log(settings.log())
              .accessLog(settings.log())
              .fetchProgress(settings.log())
              .start();
      return new DevGateway() {
        @Override
        public URI url() {
          return URI.create(gateway.url());
        }

        @Override
        public void close() {
          gateway.close();
        }
      };
    };
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new DevException("--listen wants host:port, not " + hostPort);
    }
    try {
      return new InetSocketAddress(
          hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new DevException("--listen wants host:port, not " + hostPort);
    }
  }
}

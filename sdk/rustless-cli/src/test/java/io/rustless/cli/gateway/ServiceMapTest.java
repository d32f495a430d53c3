package io.rustless.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.cli.UsageException;
import io.rustless.cli.gateway.higress.Route;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --service NAME=URL}: Ingress backends on this machine. */
class ServiceMapTest {
  private static final Route.Backend WEB =
      new Route.Backend("web", "shop", "web.shop.svc.cluster.local", 80);

  @Test
  void theMostPreciseNameWins() {
    ServiceMap m =
        ServiceMap.parse(
            List.of(
                "web=http://127.0.0.1:1",
                "web:80=http://127.0.0.1:2",
                "web.shop=http://127.0.0.1:3",
                "web.shop:80=http://127.0.0.1:4",
                "web.shop.svc.cluster.local=http://127.0.0.1:5",
                "web.shop.svc.cluster.local:80=http://127.0.0.1:6"));
    assertThat(m.resolve(WEB)).contains(URI.create("http://127.0.0.1:6"));
    assertThat(m.resolve(new Route.Backend("web", "shop", "web.shop.svc.cluster.local", 81)))
        .contains(URI.create("http://127.0.0.1:5"));
    assertThat(m.resolve(new Route.Backend("web", "other", "web.other.svc.cluster.local", 80)))
        .contains(URI.create("http://127.0.0.1:2"));
    assertThat(m.resolve(new Route.Backend("web", "other", "web.other.svc.cluster.local", 9)))
        .contains(URI.create("http://127.0.0.1:1"));
    assertThat(m.resolve(new Route.Backend("api", "shop", "api.shop.svc.cluster.local", 80)))
        .isEmpty();
  }

  @Test
  void namesAreCaseInsensitive() {
    assertThat(ServiceMap.parse(List.of("WEB.Shop:80=http://127.0.0.1:7")).resolve(WEB))
        .contains(URI.create("http://127.0.0.1:7"));
  }

  @Test
  void badEntriesAreOneLineEach() {
    assertThatThrownBy(() -> ServiceMap.parse(List.of("web")))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("bad --service 'web': expected NAME=URL");
    assertThatThrownBy(() -> ServiceMap.parse(List.of("web=ftp://x")))
        .hasMessage("bad --service 'web=ftp://x': expected http://host:port");
    assertThatThrownBy(() -> ServiceMap.parse(List.of("web:http=http://127.0.0.1:1")))
        .hasMessage("bad --service 'web:http=http://127.0.0.1:1': 'http' is not a port");
    assertThatThrownBy(() -> ServiceMap.parse(List.of("web=http://127.0.0.1:1/base")))
        .hasMessageContaining("a path is not supported");
    assertThatThrownBy(
            () -> ServiceMap.parse(List.of("web=http://127.0.0.1:1", "WEB=http://127.0.0.1:2")))
        .hasMessage("--service web is given twice");
  }
}

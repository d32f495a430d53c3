package io.rustless.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.cli.UsageException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterRoutesTest {
  @Test
  void parsesHttpAndRedisRoutesByClusterName() {
    ClusterRoutes r =
        ClusterRoutes.parse(
            List.of(
                "outbound|80||llm.dns=http://127.0.0.1:8081", "redis.dns=redis://127.0.0.1:6379"));
    assertThat(r.routes())
        .containsEntry("outbound|80||llm.dns", URI.create("http://127.0.0.1:8081"))
        .containsEntry("redis.dns", URI.create("redis://127.0.0.1:6379"));
    assertThat(ClusterRoutes.parse(List.of()).isEmpty()).isTrue();
  }

  @Test
  void rejectsWhatItCannotRoute() {
    assertThatThrownBy(() -> ClusterRoutes.parse(List.of("a=ftp://x:1")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("http://host:port or redis://host:port");
    assertThatThrownBy(() -> ClusterRoutes.parse(List.of("a=redis://x")))
        .hasMessageContaining("needs a port");
    assertThatThrownBy(() -> ClusterRoutes.parse(List.of("a=http://x:1", "a=http://y:1")))
        .hasMessage("--cluster a is given twice");
  }
}

package io.rustless.cli.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.cli.UsageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
  @TempDir Path dir;

  private Path write(String json) throws Exception {
    Path p = dir.resolve("config.json");
    Files.writeString(p, json);
    return p;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void findsInlineCredentialsByHostWhateverTheKeyLooksLike() throws Exception {
    Path p =
        write(
            "{\"auths\": {"
                + "\"https://ghcr.io\": {\"auth\": \""
                + b64("bot:pa:ss")
                + "\"},"
                + "\"127.0.0.1:5001\": {\"username\": \"u\", \"password\": \"p\"},"
                + "\"https://index.docker.io/v1/\": {\"auth\": \""
                + b64("hub:x")
                + "\"}}}");
    DockerConfig c = DockerConfig.read(p);
    assertThat(c.credentialsFor("ghcr.io")).contains(new Credentials("bot", "pa:ss"));
    assertThat(c.credentialsFor("127.0.0.1:5001")).contains(new Credentials("u", "p"));
    assertThat(c.credentialsFor("docker.io")).contains(new Credentials("hub", "x"));
    assertThat(c.credentialsFor("quay.io")).isEmpty();
    assertThat(c.usesHelpers()).isFalse();
  }

  @Test
  void malformedFilesAreUsageErrorsNamingTheFile() throws Exception {
    Path p = write("{\"auths\": ");
    assertThatThrownBy(() -> DockerConfig.read(p))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(p.toString())
        .hasMessageContaining("not valid JSON");
    Path q = write("{\"auths\": {\"r.io\": {\"auth\": \"!!!\"}}}");
    assertThatThrownBy(() -> DockerConfig.read(q).credentialsFor("r.io"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("not base64");
  }

  @Test
  void defaultLocationFollowsDockerConfigVariable() throws Exception {
    write("{}");
    assertThat(DockerConfig.defaultLocation(Map.of("DOCKER_CONFIG", dir.toString())))
        .contains(dir.resolve("config.json"));
    assertThat(
            DockerConfig.defaultLocation(Map.of("DOCKER_CONFIG", dir.resolve("none").toString())))
        .isEmpty();
  }
}

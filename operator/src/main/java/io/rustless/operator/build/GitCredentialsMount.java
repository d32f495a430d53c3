package io.rustless.operator.build;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * A private repository's basic-auth Secret in the build pod: mounted read-only as files, handed to
 * git by a credential helper that reads them ({@code GIT_CONFIG_*} environment, git 2.31+). The
 * credentials never appear in the Job's arguments, its environment values or the source's status.
 */
public final class GitCredentialsMount {

  public static final String DIR = "/var/run/rustless/git";
  static final String VOLUME = "git-credentials";

  /** Prints {@code username=} and {@code password=} from the mounted files on a {@code get}. */
  static final String HELPER =
      "!f() { test \"$1\" = get || exit 0;"
          + " echo \"username=$(cat "
          + DIR
          + "/username 2>/dev/null || echo git)\";"
          + " echo \"password=$(cat "
          + DIR
          + "/password)\"; }; f";

  private GitCredentialsMount() {}

  /** Adds the Secret's volume, its mount on every container and the git settings. */
  public static void addTo(PodSpec pod, String secretName) {
    pod.getVolumes()
        .add(
            new VolumeBuilder()
                .withName(VOLUME)
                .withNewSecret()
                .withSecretName(secretName)
                .withDefaultMode(0440)
                .endSecret()
                .build());
    for (var container : pod.getContainers()) {
      container
          .getVolumeMounts()
          .add(
              new VolumeMountBuilder()
                  .withName(VOLUME)
                  .withMountPath(DIR)
                  .withReadOnly(true)
                  .build());
      container
          .getEnv()
          .addAll(
              List.of(
                  new EnvVar("GIT_CONFIG_COUNT", "1", null),
                  new EnvVar("GIT_CONFIG_KEY_0", "credential.helper", null),
                  new EnvVar("GIT_CONFIG_VALUE_0", HELPER, null)));
    }
  }
}

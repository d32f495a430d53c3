package io.rustless.operator.dependent;

import io.rustless.operator.build.BuildInputs;

/**
 * The build the reconciler decided to start, handed to {@link BuildJobDependent} through the
 * reconciliation context.
 *
 * @param inputs resolved build settings
 * @param attempt attempt number for the build key, from 1
 * @param jobName the Job's name (from {@code Names})
 * @param buildUser uid/gid of the build container
 */
public record BuildRequest(BuildInputs inputs, int attempt, String jobName, long buildUser) {

  /** Context key. */
  public static final String KEY = "rustless.build-request";
}

package io.rustless.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.rustless.operator.Names;
import io.rustless.operator.build.BuildJobSpec;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import java.net.HttpURLConnection;

/**
 * The build Job of a source. Created only (Jobs are immutable; a new build key or attempt gives a
 * new name), owned by the source so Kubernetes garbage-collects it, and found again after an
 * operator restart through its informer.
 */
public final class BuildJobDependent
    extends KubernetesDependentResource<Job, RustlessWasmPluginSource>
    implements Creator<Job, RustlessWasmPluginSource>, GarbageCollected<RustlessWasmPluginSource> {

  public static final String NAME = "build-job";

  public BuildJobDependent() {
    super(Job.class, NAME);
    configureWith(
        new KubernetesDependentResourceConfigBuilder<Job>()
            .withKubernetesDependentInformerConfig(
                InformerConfiguration.builder(Job.class)
                    .withLabelSelector(Names.BUILD_SELECTOR)
                    .build())
            .build());
  }

  @Override
  protected Job desired(
      RustlessWasmPluginSource primary, Context<RustlessWasmPluginSource> context) {
    BuildRequest request = request(context);
    return BuildJobSpec.create(
        primary, request.inputs(), request.attempt(), request.jobName(), request.buildUser());
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      RustlessWasmPluginSource primary, Context<RustlessWasmPluginSource> context) {
    return new ResourceID(request(context).jobName(), primary.getMetadata().getNamespace());
  }

  /**
   * A Job that already exists (an informer that has not caught up yet) is adopted, not an error.
   */
  @Override
  public Job create(
      Job desired, RustlessWasmPluginSource primary, Context<RustlessWasmPluginSource> context) {
    try {
      return super.create(desired, primary, context);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      Job existing =
          context
              .getClient()
              .batch()
              .v1()
              .jobs()
              .inNamespace(desired.getMetadata().getNamespace())
              .withName(desired.getMetadata().getName())
              .get();
      if (existing == null) {
        throw e;
      }
      return existing;
    }
  }

  private static BuildRequest request(Context<RustlessWasmPluginSource> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(BuildRequest.KEY, BuildRequest.class);
  }
}
